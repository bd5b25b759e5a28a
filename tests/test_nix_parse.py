"""Parse errors reach the user as file:line:col with rnix's reason."""

import pytest

from migrate.nix.parse import NixDecodeError, NixSyntaxError, parse_bytes, parse_text


@pytest.mark.parametrize(
    "source, line, column, reason",
    [
        ("{\n  a = 1;\n  b = ;\n}\n", 3, 7, "unexpected ';'"),
        ("{ a = 1;", 1, 9, "unexpected end of file"),
        ("# only a comment\n", 2, 1, "unexpected end of file"),
        # Columns count characters, not bytes: the é before the error is one column.
        ('{ a = "é"; b = ]; }', 1, 16, "unexpected ']'"),
        ("{ é = 1; }", 1, 3, "unexpected invalid token"),
        ("{\r\n  a = ;\r\n}\r\n", 2, 7, "unexpected ';'"),
    ],
)
def test_syntax_error_position(source, line, column, reason):
    with pytest.raises(NixSyntaxError) as err:
        parse_text(source, "dir/file.nix")
    assert (err.value.path, err.value.line, err.value.column) == ("dir/file.nix", line, column)
    assert str(err.value).startswith(f"dir/file.nix:{line}:{column}: syntax error: {reason}")


def test_invalid_utf8_position():
    with pytest.raises(NixDecodeError) as err:
        parse_bytes(b'{\n  name = "caf\xe9";\n}\n', "x.nix")
    assert str(err.value) == "x.nix:2:14: file is not valid UTF-8"


def test_byte_offsets_with_non_ascii_text():
    nix = parse_bytes('{ greeting = "héllo"; n = 1; }'.encode(), "x.nix")
    attrset = nix.expression
    binding = attrset.children()[1]
    start, end = binding.text_range()
    assert nix.slice(start, end) == "n = 1;"
    assert nix.line_col(start) == (1, 23)
