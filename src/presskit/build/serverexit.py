"""Imported by the render workers' fork server only (warmstart.PRELOAD): at the end of the build it exits at once.

The fork server holds the build's standard output like any child, and the interpreter's orderly
teardown of WeasyPrint and every other module it imported took 100 ms after the build was over.
It owns nothing to flush or clean up; its workers exit through os._exit and never run this.
"""

import atexit
import os

atexit.register(os._exit, 0)
