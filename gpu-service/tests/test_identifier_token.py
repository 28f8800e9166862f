"""[v] added as a token stays a word of its own: it never matches inside another word."""

from sid_gpu.methods.textual_inversion import add_identifier_token


def test_the_added_identifier_is_not_read_inside_other_words(pipeline):
    token_id = add_identifier_token(pipeline, "zqxv", "dog")
    ids = lambda text: pipeline.tokenizer(text, add_special_tokens=False).input_ids  # noqa: E731
    assert ids("a zqxv dog").count(token_id) == 1
    assert token_id not in ids("desks zqxvs tazqxv")
