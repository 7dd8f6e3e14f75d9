"""The `vigil` command line: composed in `cli.main`, above every layer it calls."""
