"""Turn down one noisy logger: the logging module's exercise 9, run as a script from anywhere."""

import logging

# [quiet]
logging.basicConfig(level=logging.DEBUG, format="%(levelname)-8s %(name)s: %(message)s")
logging.getLogger("corrupt_mnist.data").setLevel(logging.WARNING)
logging.getLogger("PIL").setLevel(logging.WARNING)

logging.getLogger("corrupt_mnist.data").info("hidden: below the data logger's level")
logging.getLogger("corrupt_mnist.train").debug("shown: the train logger inherits DEBUG")
# [quiet-end]
