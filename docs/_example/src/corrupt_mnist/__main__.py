"""`python -m corrupt_mnist` runs the same command line as the `corrupt-mnist` launcher."""

from corrupt_mnist.cli import app

if __name__ == "__main__":
    app(prog_name="corrupt-mnist")
