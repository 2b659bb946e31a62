"""gunicorn's settings for expertnet, read from the project directory (`make run`, `gunicorn wsgi:app`); the
command line adds the address and the number of workers.

The application is loaded once, in the master, and the workers are forked from it: they share its libraries,
the multilingual encoder's weights and the memory-mapped matcher index (copy-on-write), so a worker adds little
memory and answers its first suggestions page at once (issue 15). Code changes therefore need a restart, not a
HUP."""
preload_app = True


def when_ready(server):
    """In the master, the application loaded and no worker forked yet."""
    from expertnet.experts.matcher_bridge import preload
    from wsgi import app

    preload(app)
