"""The headless verbs: every capability of the app, for IT's scripts and for checking from
outside. Each module adds its verbs with ``add_commands(subparsers)``; they call the services
(and the rules in ``domain``) that the screens call, and document their JSON in the README."""
