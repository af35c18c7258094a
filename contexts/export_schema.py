"""Rewrite `api/schema.graphql`, the committed SDL of the API: `python -m contexts.export_schema`.

A test fails when the file is out of date, so a change of the schema shows in review.
"""

from pathlib import Path

from contexts import SCHEMA

SDL_PATH = Path(__file__).parents[1] / "api" / "schema.graphql"


def sdl() -> str:
    return str(SCHEMA) + "\n"


def main() -> None:
    SDL_PATH.write_text(sdl(), encoding="utf-8")
    print(f"wrote {SDL_PATH}")


if __name__ == "__main__":
    main()
