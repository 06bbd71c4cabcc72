"""A small CLI on the CUDA image: pure-Python packages from PyPI, no GPU needed to start."""
import os
import platform
from importlib.metadata import version

import click
from rich.console import Console


@click.command()
@click.option("--name", default="cuda", help="who to greet")
def main(name):
    console = Console(force_terminal=False, color_system=None)
    console.print(
        f"CUDA-PY-E2E-OK hello {name}: Python {platform.python_version()}, click {version('click')}, "
        f"rich {version('rich')}, "
        f"CUDA_VERSION={os.environ.get('CUDA_VERSION', '?')}"
    )


if __name__ == "__main__":
    main()
