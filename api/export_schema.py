"""Rewrite `api/schema.graphql`, the committed SDL of the API: `python -m api.export_schema`.

A test fails when the file is out of date, so a change of the schema shows in review.
"""

from pathlib import Path

from api.schema import schema

SDL_PATH = Path(__file__).with_name("schema.graphql")


def sdl() -> str:
    return str(schema) + "\n"


def main() -> None:
    SDL_PATH.write_text(sdl(), encoding="utf-8")
    print(f"wrote {SDL_PATH}")


if __name__ == "__main__":
    main()
