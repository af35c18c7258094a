"""The processes' log keeps where an error happened, never the values an exception's text
quotes, nor the variables of a GraphQL GET in the access log."""

import io
import logging

from cli.logs import ACCESS_LOGGER, PathOnly, WithoutValues

NIR = "284077505632118"


def failing_lookup() -> None:
    try:
        {}["nir"]
    except KeyError as error:
        raise ValueError(f"Key (nir)=({NIR}) already exists") from error


def test_a_traceback_keeps_its_frames_and_types_but_not_the_texts_of_its_exceptions() -> None:
    logger = logging.getLogger("tests.logs.traceback")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(WithoutValues("%(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.propagate = False

    try:
        failing_lookup()
    except ValueError:
        logger.exception("request r-1: unexpected error")

    text = stream.getvalue()
    assert NIR not in text
    assert "ERROR request r-1: unexpected error" in text
    assert "in failing_lookup" in text
    assert "builtins.KeyError (texte non journalisé)" in text
    assert "builtins.ValueError (texte non journalisé)" in text
    assert "direct cause" in text


def test_the_access_log_names_the_path_without_its_query_string() -> None:
    record = logging.LogRecord(
        ACCESS_LOGGER,
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        (
            "127.0.0.1:5000",
            "GET",
            "/graphql?query=x&variables=%7B%22search%22%3A%22Dupont%22%7D",
            "1.1",
            200,
        ),
        None,
    )

    assert PathOnly().filter(record)

    assert record.getMessage() == '127.0.0.1:5000 - "GET /graphql HTTP/1.1" 200'
