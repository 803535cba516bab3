"""One module per command: `register(subparsers)` adds the command and its `run` function."""
