"""Subcommands of the ``graphq`` command line, one module each."""
