/* floor.c: the benchmark floor: parse the given YAML files with libyaml's event parser and
 * nothing else (no tree, no validation). xenadvise's full run is compared with this. */
#include <stdio.h>
#include <yaml.h>

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (f == NULL)
			return 1;
		yaml_parser_t p;
		yaml_parser_initialize(&p);
		yaml_parser_set_input_file(&p, f);
		yaml_event_t e;
		int done = 0;
		while (!done) {
			if (!yaml_parser_parse(&p, &e))
				return 1;
			done = e.type == YAML_STREAM_END_EVENT;
			yaml_event_delete(&e);
		}
		yaml_parser_delete(&p);
		fclose(f);
	}
	return 0;
}
