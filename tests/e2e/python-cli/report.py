import click
from tabulate import tabulate


@click.command()
@click.option("--rows", default=2, help="rows to print")
def main(rows):
    table = [[i, i * i] for i in range(rows)]
    print(tabulate(table, headers=["n", "n^2"]))
    print("PYCLI-E2E-OK")


if __name__ == "__main__":
    main()
