"""Edits keep every byte they do not need to change; exact expected outputs."""

import pytest

from migrate.nix.edit import ChangeSet, EditError, InvalidEditError, OverlappingEditError
from migrate.nix.parse import parse_text
from migrate.nix.query import bindings, find_binding, list_items, module_attrs, path_literals
from tests.nixcheck import assert_nix_parses


def edited(text, operation):
    file = parse_text(text)
    changes = ChangeSet(file)
    operation(changes, file)
    result = changes.apply().text
    # Snippets are fragments with free variables; `with` lets Nix accept those
    # and still checks every bit of syntax.
    assert_nix_parses("with { };\n" + result)
    return result


def nth_binding(file, index, container=None):
    return bindings(container if container is not None else module_attrs(file))[index]


# --------------------------------------------------------------------------
# ChangeSet mechanics


def test_overlapping_edits_are_rejected():
    file = parse_text("{ a = 1; b = 2; }")
    changes = ChangeSet(file)
    changes.replace(nth_binding(file, 0).value, "10")
    with pytest.raises(OverlappingEditError, match="overlaps"):
        changes.replace(nth_binding(file, 0).node, "a = 3;")
    changes.replace(nth_binding(file, 1).node, "b = 20;")
    b_start, b_end = nth_binding(file, 1).node.text_range()
    with pytest.raises(OverlappingEditError):
        changes.insert(b_start + 2, "x")  # strictly inside `b = 2;`, already replaced
    changes.insert(b_start, "c = 3; ")  # touching a replaced range is fine
    assert changes.apply().text == "{ a = 10; c = 3; b = 20; }"


def test_insertions_at_one_offset_keep_their_order_and_precede_a_replacement_there():
    file = parse_text("[ a ]")
    changes = ChangeSet(file)
    start = list_items(file.expression)[0].text_range()[0]
    changes.replace(list_items(file.expression)[0], "b")
    changes.insert(start, "x ")
    changes.insert(start, "y ")
    assert changes.apply().text == "[ x y b ]"


def test_edits_apply_at_byte_offsets_after_non_ascii():
    text = '{ name = "Zoë — 日本"; src = ./a.nix; }'
    result = edited(text, lambda c, f: c.rewrite_path(path_literals(f)[0], "../b.nix"))
    assert result == '{ name = "Zoë — 日本"; src = ../b.nix; }'


def test_unparsable_result_is_refused():
    file = parse_text("{ a = 1; }")
    changes = ChangeSet(file)
    changes.replace(nth_binding(file, 0).value, "1 +")
    with pytest.raises(InvalidEditError, match="refusing an edit") as raised:
        changes.apply()
    assert raised.value.text == "{ a = 1 +; }"


def test_replace_expression_multiline_in_crlf_file_keeps_crlf():
    text = "{\r\n  a = 1;\r\n}\r\n"
    result = edited(text, lambda c, f: c.replace(nth_binding(f, 0).value, "{\n    b = 2;\n  }"))
    assert result == "{\r\n  a = {\r\n    b = 2;\r\n  };\r\n}\r\n"


def test_rewrite_concat_and_interpolated_paths():
    text = '{ x, ... }: [ (./. + "/users/${x}") ./${x}/y.nix "${./a.conf}" ]'
    result = edited(text, lambda c, f: [c.rewrite_path(p, "../" + p.text.lstrip("./ ").replace(". + ", ". + ", 1))
                                        if p.kind != "concat" else c.rewrite_path(p, '../. + "/users/${x}"')
                                        for p in path_literals(f)])
    assert result == '{ x, ... }: [ (../. + "/users/${x}") ../${x}/y.nix "${../a.conf}" ]'


# --------------------------------------------------------------------------
# remove a binding


REMOVE_CASES = [
    ("one-line first", "{ a = 1; b = 2; }", 0, "{ b = 2; }"),
    ("one-line last", "{ a = 1; b = 2; }", 1, "{ a = 1; }"),
    ("one-line only", "{ a = 1; }", 0, "{ }"),
    ("own line with comments above and after",
     "{\n  x = 0;\n  # about a\n  # more about a\n  a = 1; # trailing\n\n  # about b\n  b = 2;\n}\n", 1,
     "{\n  x = 0;\n\n  # about b\n  b = 2;\n}\n"),
    ("blank line keeps the comment above it",
     "{\n  # section\n\n  a = 1;\n  b = 2;\n}\n", 0, "{\n  # section\n\n  b = 2;\n}\n"),
    ("trailing comment of previous binding stays",
     "{\n  x = 0; # about x\n  a = 1;\n}\n", 1, "{\n  x = 0; # about x\n}\n"),
    ("shares its line with the next", "{\n  a = 1; b = 2;\n  c = 3;\n}\n", 0, "{\n  b = 2;\n  c = 3;\n}\n"),
    ("shares its line with the previous", "{\n  a = 1; b = 2; # c\n}\n", 1, "{\n  a = 1; # c\n}\n"),
    ("multi-line value", "{\n  a = {\n    x = 1;\n  };\n  b = 2;\n}\n", 0, "{\n  b = 2;\n}\n"),
    ("block comment above", "{\n  /* old */\n  a = 1;\n  b = 2;\n}\n", 0, "{\n  b = 2;\n}\n"),
    ("odd indentation", "{\n     a = 1;\n b = 2;\n}\n", 0, "{\n b = 2;\n}\n"),
    ("tabs and CRLF", "{\r\n\t# a\r\n\ta = 1; # t\r\n\tb = 2;\r\n}\r\n", 0, "{\r\n\tb = 2;\r\n}\r\n"),
    ("inherit", "{\n  inherit a;\n  b = 2;\n}\n", 0, "{\n  b = 2;\n}\n"),
    ("first binding on the brace line", "{ a = 1;\n  b = 2;\n}\n", 0, "{\n  b = 2;\n}\n"),
    ("non-ASCII neighbours", '{\n  a = "é";\n  b = "日本"; # ü\n  c = 3;\n}\n', 1, '{\n  a = "é";\n  c = 3;\n}\n'),
]


@pytest.mark.parametrize("name, text, index, expected", REMOVE_CASES, ids=[c[0] for c in REMOVE_CASES])
def test_remove_binding(name, text, index, expected):
    def remove(changes, file):
        container = module_attrs(file)
        entries = [child for child in container.children() if child.kind() in ("NODE_ATTRPATH_VALUE", "NODE_INHERIT")]
        changes.remove_binding(entries[index])
    assert edited(text, remove) == expected


def test_remove_nested_binding_and_let_binding():
    text = "let\n  a = 1;\n  b = 2;\nin\n{\n  x = {\n    y = 1;\n    z = 2;\n  };\n}\n"
    def remove(changes, file):
        changes.remove_binding(bindings(file.expression)[0])
        inner = find_binding(module_attrs(file), ("x",))
        changes.remove_binding(bindings(inner)[1])
    assert edited(text, remove) == "let\n  b = 2;\nin\n{\n  x = {\n    y = 1;\n  };\n}\n"


def test_remove_binding_rejects_other_nodes():
    file = parse_text("{ a = 1; }")
    with pytest.raises(EditError, match="not a binding"):
        ChangeSet(file).remove_binding(file.expression)


# --------------------------------------------------------------------------
# insert a binding


INSERT_CASES = [
    ("one-line set", "{ a = 1; }", "b = 2;", "{ a = 1; b = 2; }"),
    ("empty set", "{ }", "b = 2;", "{ b = 2; }"),
    ("empty set without space", "{}", "b = 2;", "{ b = 2; }"),
    ("multi-line after trailing comment", "{\n  a = 1; # one\n}\n", "b = 2;", "{\n  a = 1; # one\n  b = 2;\n}\n"),
    ("odd indentation follows the last sibling", "{\n a = 1;\n     c = 3;\n}\n", "b = 2;",
     "{\n a = 1;\n     c = 3;\n     b = 2;\n}\n"),
    ("empty multi-line set", "{\n  x = {\n  };\n}\n", None, "{\n  x = {\n    b = 2;\n  };\n}\n"),
    ("comment-only set", "{\n  # nothing yet\n}\n", "b = 2;", "{\n  # nothing yet\n  b = 2;\n}\n"),
    ("CRLF and tabs", "{\r\n\ta = 1;\r\n}\r\n", "b = {\n  c = 1;\n};",
     "{\r\n\ta = 1;\r\n\tb = {\r\n\t\tc = 1;\r\n\t};\r\n}\r\n"),
    ("four-space file", "{\n    a = {\n    };\n}\n", None, "{\n    a = {\n        b = 2;\n    };\n}\n"),
    ("multi-line text", "{\n  a = 1;\n}\n", "b = {\n  c = \"é\";\n};", "{\n  a = 1;\n  b = {\n    c = \"é\";\n  };\n}\n"),
    ("rec set", "rec { a = 1; }", "b = a;", "rec { a = 1; b = a; }"),
]


@pytest.mark.parametrize("name, text, binding, expected", INSERT_CASES, ids=[c[0] for c in INSERT_CASES])
def test_insert_binding(name, text, binding, expected):
    def insert(changes, file):
        attrs = module_attrs(file)
        if binding is None:
            changes.insert_binding(bindings(attrs)[0].value, "b = 2;")
        else:
            changes.insert_binding(attrs, binding)
    assert edited(text, insert) == expected


def test_insert_binding_before_keeps_comments_with_their_binding():
    text = "{\n  a = 1;\n  # about c\n  c = 3;\n}\n"
    result = edited(text, lambda c, f: c.insert_binding(module_attrs(f), "b = 2;", before=nth_binding(f, 1).node))
    assert result == "{\n  a = 1;\n  b = 2;\n  # about c\n  c = 3;\n}\n"


def test_insert_into_let():
    text = "let\n  a = 1;\nin\na"
    assert edited(text, lambda c, f: c.insert_binding(f.expression, "b = 2;")) == "let\n  a = 1;\n  b = 2;\nin\na"


def test_two_insertions_into_one_set_keep_order():
    def insert(changes, file):
        changes.insert_binding(module_attrs(file), "b = 2;")
        changes.insert_binding(module_attrs(file), "c = 3;")
    assert edited("{\n  a = 1;\n}\n", insert) == "{\n  a = 1;\n  b = 2;\n  c = 3;\n}\n"


def test_insert_and_remove_neighbours_together():
    def both(changes, file):
        changes.remove_binding(nth_binding(file, 1))
        changes.insert_binding(module_attrs(file), "c = 3;")
    assert edited("{\n  a = 1;\n  b = 2; # two\n}\n", both) == "{\n  a = 1;\n  c = 3;\n}\n"


# --------------------------------------------------------------------------
# add a formal argument


FORMAL_CASES = [
    ("ellipsis last", "{ config, ... }: 1", "{ config, pkgs, ... }: 1"),
    ("ellipsis alone", "{ ... }: 1", "{ pkgs, ... }: 1"),
    ("no ellipsis", "{ config }: 1", "{ config, pkgs }: 1"),
    ("trailing comma one line", "{ config, lib, }: 1", "{ config, lib, pkgs, }: 1"),
    ("empty", "{ }: 1", "{ pkgs }: 1"),
    ("at after", "{ config, ... }@inputs: 1", "{ config, pkgs, ... }@inputs: 1"),
    ("at before", "inputs@{ config, ... }: 1", "inputs@{ config, pkgs, ... }: 1"),
    ("multi-line trailing commas with ellipsis", "{\n  config,\n  ...\n}: 1", "{\n  config,\n  pkgs,\n  ...\n}: 1"),
    ("multi-line trailing commas without ellipsis", "{\n  config,\n  lib,\n}: 1", "{\n  config,\n  lib,\n  pkgs,\n}: 1"),
    ("multi-line last without comma", "{\n  config,\n  lib\n}: 1", "{\n  config,\n  lib,\n  pkgs\n}: 1"),
    ("leading commas with ellipsis", "{ config\n, lib\n, ...\n}: 1", "{ config\n, lib\n, pkgs\n, ...\n}: 1"),
    ("leading commas without ellipsis", "{ config\n, lib\n}: 1", "{ config\n, lib\n, pkgs\n}: 1"),
    ("leading commas indented", "{ config\n  , ...\n  }: 1", "{ config\n  , pkgs\n  , ...\n  }: 1"),
    ("CRLF", "{\r\n  config,\r\n  ...\r\n}:\r\n1\r\n", "{\r\n  config,\r\n  pkgs,\r\n  ...\r\n}:\r\n1\r\n"),
    ("tabs", "{\n\tconfig,\n\t...\n}: 1", "{\n\tconfig,\n\tpkgs,\n\t...\n}: 1"),
    ("default with comment", "{ a ? \"é\" # x\n, ...\n}: 1", "{ a ? \"é\" # x\n, pkgs\n, ...\n}: 1"),
]


@pytest.mark.parametrize("name, text, expected", FORMAL_CASES, ids=[c[0] for c in FORMAL_CASES])
def test_add_formal(name, text, expected):
    assert edited(text, lambda c, f: c.add_formal(f, "pkgs")) == expected


def test_add_formal_with_default_is_idempotent_and_refuses_plain_argument():
    file = parse_text("{ pkgs, ... }: 1")
    changes = ChangeSet(file)
    assert changes.add_formal(file, "pkgs") is False
    assert changes.add_formal(file, "hostname", default='"x"') is True
    assert changes.apply().text == '{ pkgs, hostname ? "x", ... }: 1'
    with pytest.raises(EditError, match="argument pattern"):
        ChangeSet(parse_text("x: x")).add_formal(parse_text("x: x"), "pkgs")


# --------------------------------------------------------------------------
# list elements


LIST_INSERT_CASES = [
    ("one-line", "[ a b ]", "./c.nix", "[ a b ./c.nix ]"),
    ("empty", "[ ]", "./c.nix", "[ ./c.nix ]"),
    ("empty without space", "[]", "./c.nix", "[ ./c.nix ]"),
    ("multi-line after trailing comment", "[\n  a # x\n  b # y\n]", "./c.nix", "[\n  a # x\n  b # y\n  ./c.nix\n]"),
    ("empty multi-line", "{\n  imports = [\n  ];\n}", "./c.nix", "{\n  imports = [\n    ./c.nix\n  ];\n}"),
    ("tabs CRLF", "[\r\n\ta\r\n]\r\n", "(f x)", "[\r\n\ta\r\n\t(f x)\r\n]\r\n"),
]


@pytest.mark.parametrize("name, text, element, expected", LIST_INSERT_CASES, ids=[c[0] for c in LIST_INSERT_CASES])
def test_insert_list_element(name, text, element, expected):
    def insert(changes, file):
        node = file.expression if file.expression.kind() == "NODE_LIST" else nth_binding(file, 0).value
        changes.insert_list_element(node, element)
    assert edited(text, insert) == expected


def test_insert_list_element_before():
    text = "[\n  a\n  # about b\n  b\n]"
    result = edited(text, lambda c, f: c.insert_list_element(f.expression, "x", before=list_items(f.expression)[1]))
    assert result == "[\n  a\n  x\n  # about b\n  b\n]"
    assert edited("[ a b ]", lambda c, f: c.insert_list_element(f.expression, "x", before=list_items(f.expression)[1])) \
        == "[ a x b ]"


LIST_REMOVE_CASES = [
    ("one-line middle", "[ a b c ]", 1, "[ a c ]"),
    ("one-line last", "[ a b c ]", 2, "[ a b ]"),
    ("own line with comments", "[\n  a # x\n  # about b\n  b # after b\n  c\n]", 1, "[\n  a # x\n  c\n]"),
    ("block comment beside", "[\n  a /* keep */ b\n]", 0, "[\n  /* keep */ b\n]"),
    ("CRLF", "[\r\n  a\r\n  b\r\n]", 0, "[\r\n  b\r\n]"),
]


@pytest.mark.parametrize("name, text, index, expected", LIST_REMOVE_CASES, ids=[c[0] for c in LIST_REMOVE_CASES])
def test_remove_list_element(name, text, index, expected):
    assert edited(text, lambda c, f: c.remove_list_element(list_items(f.expression)[index])) == expected


def test_remove_list_element_rejects_non_elements():
    file = parse_text("{ a = 1; }")
    with pytest.raises(EditError, match="not a list element"):
        ChangeSet(file).remove_list_element(nth_binding(file, 0).value)
