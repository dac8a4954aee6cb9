/* escape.h: make untrusted text safe for a terminal.
 *
 * Every string that came from a file, the network or the command line goes through
 * here before it reaches a terminal, so no escape sequence from an AMI name or a
 * catalog can move the cursor, change colours or set the window title. */
#ifndef XA_ESCAPE_H
#define XA_ESCAPE_H

#include <stdio.h>

/* Writes s, replacing C0 and C1 control characters, DEL and invalid UTF-8 bytes with
 * \xNN (tab and newline too), so the output is one printable line. */
void escape_fputs(const char *s, FILE *out);
/* Same as escape_fputs but keeps newlines (for multi-line text blocks). */
void escape_fputs_ml(const char *s, FILE *out);
/* The same as escape_fputs, appended to a string buffer. */
struct strbuf;
void escape_append(struct strbuf *sb, const char *s);

#endif
