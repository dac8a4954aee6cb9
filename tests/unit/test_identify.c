/* Local signals (catalogs/identify.yaml), XenStore over xenbus, and config drives. */
#include "catalog.h"
#include "configdrive.h"
#include "identify.h"
#include "helpers.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ROOTS XA_SRC "/tests/e2e/fixtures/roots"
#define DRIVES XA_SRC "/tests/e2e/fixtures/configdrive"

static struct identify *installed(void)
{
	struct diags d;
	diags_init(&d);
	struct identify *id = identify_load(XA_SRC "/catalogs/identify.yaml", &d);
	cr_assert_not_null(id, "the installed identify file must load");
	cr_assert_eq(d.n, 0);
	diags_free(&d);
	return id;
}

static const char *probe(const struct identify *id, const char *root)
{
	struct id_result r;
	return identify_probe(id, root, &r) ? r.signal->provider : NULL;
}

Test(identify, fixture_trees)
{
	struct identify *id = installed();
	static const char *const cases[][2] = {
		{"ec2-xen-pv", "ec2"},      {"ec2-xen-hvm", "ec2"},     {"ec2-nitro", "ec2"},
		{"ec2-uuid-little-endian", "ec2"}, {"rackspace-pvhvm", "rackspace"},
		{"xen-private", "xen"},     {"kvm", NULL},              {"bare", NULL},
		{"odd", NULL},              {"does-not-exist", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char root[512];
		snprintf(root, sizeof(root), "%s/%s", ROOTS, cases[i][0]);
		const char *got = probe(id, root);
		if (cases[i][1])
			cr_assert(got && strcmp(got, cases[i][1]) == 0, "%s: got %s", cases[i][0],
				  got ? got : "nothing");
		else
			cr_assert_null(got, "%s: got %s", cases[i][0], got);
	}
	identify_free(id);
}

Test(identify, every_signal_has_a_source)
{
	struct identify *id = installed();
	cr_assert_gt(id->nsignals, 0);
	for (size_t i = 0; i < id->nsignals; i++)
		cr_assert(id->signals[i].source && strlen(id->signals[i].source) > 10);
	identify_free(id);
}

Test(identify, reads_are_bounded_and_plain)
{
	char v[128];
	cr_assert(identify_read_line(ROOTS "/ec2-nitro", "/sys/class/dmi/id/sys_vendor", v, sizeof(v)));
	cr_assert_str_eq(v, "Amazon EC2");
	/* escape sequences, a symlink loop, a 4 KiB line, blank lines */
	cr_assert_not(identify_read_line(ROOTS "/odd", "/sys/hypervisor/uuid", v, sizeof(v)));
	cr_assert_not(identify_read_line(ROOTS "/odd", "/sys/class/dmi/id/sys_vendor", v, sizeof(v)));
	cr_assert_not(identify_read_line(ROOTS "/odd", "/sys/class/dmi/id/bios_version", v, sizeof(v)));
	cr_assert_not(identify_read_line(ROOTS "/odd", "/sys/hypervisor/type", v, sizeof(v)));
	cr_assert_not(identify_read_line(ROOTS, "/odd", v, sizeof(v)), "a directory is no value");
	cr_assert_not(identify_read_xenstore(ROOTS "/rackspace-pvhvm", "../../etc/passwd", v, sizeof(v)));
	cr_assert(identify_read_xenstore(ROOTS "/rackspace-pvhvm", "vm-data/provider_data/region", v,
					 sizeof(v)));
	cr_assert_str_eq(v, "dfw");
}

Test(identify, load_errors_are_all_reported_with_positions)
{
	const char *y = "kind: identify\n"
			"source: x\n"
			"signals:\n"
			"  - provider: aws\n"
			"    file: sys/x\n"
			"    match: [a]\n"
			"    source: s\n"
			"  - provider: ec2\n"
			"    file: /a\n"
			"    xenstore: b\n"
			"    match: []\n"
			"    source: s\n"
			"    colour: red\n";
	struct diags d;
	diags_init(&d);
	cr_assert_null(identify_load_buffer(y, strlen(y), "id.yaml", &d));
	cr_assert(diags_find(&d, 4, 0, "provider"), "unknown provider");
	cr_assert(diags_find(&d, 5, 0, "absolute path"));
	cr_assert(diags_find(&d, 8, 0, "exactly one of"));
	cr_assert(diags_find(&d, 11, 0, "at least one pattern"));
	cr_assert(diags_find(&d, 13, 0, "colour"));
	diags_free(&d);
}

/* A xenstored stand-in on the other end of a socket pair. */
static void *xenstored(void *arg)
{
	int fd = *(int *)arg;
	uint32_t h[4];
	char key[256];
	if (read(fd, h, sizeof(h)) != sizeof(h) || h[0] != 2 || h[3] > sizeof(key) ||
	    read(fd, key, h[3]) != (ssize_t)h[3])
		return NULL;
	const char *v = strcmp(key, "vm-data/provider_data/provider") == 0 ? "Rackspace" : "ENOENT";
	/* a value comes without a NUL, an error string with one (xs_wire.h) */
	bool err = strcmp(v, "ENOENT") == 0;
	uint32_t r[4] = {err ? 16u : 2u, h[1], 0, (uint32_t)strlen(v) + err};
	char msg[64];
	memcpy(msg, r, sizeof(r));
	memcpy(msg + sizeof(r), v, r[3]);
	write(fd, msg, sizeof(r) + r[3]);
	return NULL;
}

static bool xenbus(const char *key, char *out, size_t outlen)
{
	int sv[2];
	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	pthread_t t;
	pthread_create(&t, NULL, xenstored, &sv[1]);
	bool ok = identify_xenbus_read(sv[0], key, out, outlen);
	pthread_join(t, NULL);
	close(sv[0]);
	close(sv[1]);
	return ok;
}

Test(identify, xenbus_protocol)
{
	char v[64];
	cr_assert(xenbus("vm-data/provider_data/provider", v, sizeof(v)));
	cr_assert_str_eq(v, "Rackspace");
	cr_assert_not(xenbus("vm-data/nothing", v, sizeof(v)), "an XS_ERROR reply is no value");
}

Test(configdrive, by_display_name_and_by_id)
{
	struct cdrive_info ci;
	char err[400];
	cr_assert(configdrive_read(DRIVES "/general1-1", &ci, err, sizeof(err)), "%s", err);
	cr_assert_str_eq(ci.instance_type, "1 GB General Purpose v1");
	cr_assert_str_eq(ci.uuid, "5c4d5b8e-0e4b-4f43-9c07-1f4e3a3c2a11");
	cr_assert_str_eq(ci.availability_zone, "nova");
	struct catalog *cat;
	struct ruleset *rs;
	load_installed("rackspace", &cat, &rs);
	rules_free(rs);
	const struct cat_entry *e = catalog_find_api_name(cat, ci.instance_type);
	cr_assert(e && strcmp(e->name, "general1-1") == 0);
	cr_assert(configdrive_read(DRIVES "/compute1-15-by-id", &ci, err, sizeof(err)), "%s", err);
	cr_assert_not_null(catalog_find(cat, ci.instance_type));
	catalog_free(cat);
}

Test(configdrive, every_named_flavor_maps_back_to_itself)
{
	struct catalog *cat;
	struct ruleset *rs;
	load_installed("rackspace", &cat, &rs);
	rules_free(rs);
	size_t named = 0;
	for (size_t i = 0; i < cat->nentries; i++) {
		const struct cat_entry *e = &cat->entries[i];
		if (e->api_name == NULL)
			continue;
		named++;
		cr_assert_eq(catalog_find_api_name(cat, e->api_name), e, "%s", e->api_name);
		cr_assert_null(catalog_find(cat, e->api_name), "a name must not also be an id");
	}
	cr_assert_eq(named, 38);
	catalog_free(cat);
}

Test(configdrive, hostile_and_missing)
{
	struct cdrive_info ci;
	char err[400];
	cr_assert_not(configdrive_read(DRIVES "/hostile", &ci, err, sizeof(err)));
	cr_assert_null(strchr(err, '\x1b'));
	cr_assert_not(configdrive_read(DRIVES "/openstack-only", &ci, err, sizeof(err)));
	cr_assert(strstr(err, "does not name the flavor"), "%s", err);
	cr_assert_not(configdrive_read(DRIVES "/nowhere", &ci, err, sizeof(err)));
	cr_assert(strstr(err, "holds neither"), "%s", err);
	const char *bad[] = {"[]", "{\"instance-type\": 1}", "{\"instance-type\": \"\"}",
			     "{\"instance-type\": \"a\\u0000b\"}", "{"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_not(configdrive_parse(bad[i], strlen(bad[i]), true, &ci, err, sizeof(err)),
			      "%s", bad[i]);
}

Test(configdrive, found_where_nova_and_cloud_init_mount_it)
{
	char dir[4096];
	cr_assert(configdrive_find(ROOTS "/rackspace-pvhvm", dir, sizeof(dir)));
	cr_assert(strstr(dir, "/mnt/config"), "%s", dir);
	cr_assert_not(configdrive_find(ROOTS "/kvm", dir, sizeof(dir)));
}
