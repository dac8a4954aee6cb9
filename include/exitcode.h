/* exitcode.h: the documented exit codes (README "Exit codes"). */
#ifndef XA_EXITCODE_H
#define XA_EXITCODE_H

enum xa_exit {
	XA_EXIT_OK = 0,       /* answer given, nothing at error severity */
	XA_EXIT_FINDINGS = 1, /* answer given with at least one error-severity finding */
	XA_EXIT_USAGE = 2,    /* bad command line, unknown instance type or flavor */
	XA_EXIT_INPUT =
		3, /* an input file (catalog, rules, kernel config) is unreadable or invalid */
	XA_EXIT_UNDETECTED =
		4, /* could not learn what this machine is (--provider auto, --imds) */
	XA_EXIT_INTERNAL = 70, /* out of memory or an output error */
};

#endif
