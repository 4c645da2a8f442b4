"""Application services: the use cases the screens, the headless verbs and the tests share, free
of Qt. Each commits through the store, whose change hub announces what changed."""
