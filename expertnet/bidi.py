"""Bidirectional isolation of user text in every template, pages and mail alike.

A name such as "Ali\u202egnp.exe" carries a right-to-left override: shown as is, it reverses the text that
follows it on the line (a file name, the next column, a sentence around it), so users read what was never
written. Every value a template prints (`{{ ... }}`) passes through `isolate`, installed as Jinja's
finalize hook: a value carrying bidi formatting characters has its unmatched ones dropped or closed and is
wrapped in FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE, the character form of `<bdi>` (Unicode's
bidi algorithm, UAX #9, treats both the same way). Unlike an element, the characters are valid in every
place a value appears: element text, attribute values, the <title>, plain-text mail. Values without such
characters, and markup already built (widgets, macros, whose own values were isolated when printed), are
left untouched. Values put into a translated sentence (`_("Hello %(name)s", name=...)`) are isolated one
by one before the sentence is built, so the words after a name keep their direction too.
"""
from jinja2 import pass_context
from markupsafe import Markup

# `_` is an alias that looks `gettext` up, so it is covered through it.
TRANSLATION_CALLABLES = ("gettext", "ngettext", "pgettext", "npgettext")

EMBEDDINGS = set("\u202a\u202b\u202d\u202e")  # LRE, RLE, LRO, RLO: closed by PDF
ISOLATES = set("\u2066\u2067\u2068")  # LRI, RLI, FSI: closed by PDI
PDF, PDI, FSI = "\u202c", "\u2069", "\u2068"
# The characters that open or close a scope. Marks (LRM, RLM, ALM) have none and are left alone: Babel
# puts them in Arabic dates and numbers.
BIDI_FORMATTING = EMBEDDINGS | ISOLATES | {PDF, PDI}


def _balanced(text: str) -> str:
    """`text` with every opened embedding/isolate closed at its end, and closers that match nothing dropped
    (a stray PDI would otherwise close the isolate put around the value)."""
    out, open_ = [], []
    for char in text:
        if char in EMBEDDINGS or char in ISOLATES:
            open_.append(char)
        elif char == PDF:
            if not open_ or open_[-1] not in EMBEDDINGS:
                continue
            open_.pop()
        elif char == PDI:
            if not any(opener in ISOLATES for opener in open_):
                continue
            while open_.pop() not in ISOLATES:  # a PDI also ends the embeddings opened inside its isolate
                pass
        out.append(char)
    out.extend(PDI if opener in ISOLATES else PDF for opener in reversed(open_))
    return "".join(out)


def isolate(value):
    if isinstance(value, str) and not isinstance(value, Markup) and not BIDI_FORMATTING.isdisjoint(value):
        return f"{FSI}{_balanced(value)}{PDI}"
    return value


def _isolating_variables(translate):
    @pass_context
    def translate_with_isolated_variables(context, *args, **variables):
        return translate(context, *args, **{name: isolate(value) for name, value in variables.items()})

    return translate_with_isolated_variables


def register_bidi_isolation(app) -> None:
    """After Flask-Babel has installed its translation callables, before any template is compiled (Jinja
    builds the finalize call into the compiled code)."""
    app.jinja_env.finalize = isolate
    for name in TRANSLATION_CALLABLES:
        if name in app.jinja_env.globals:
            app.jinja_env.globals[name] = _isolating_variables(app.jinja_env.globals[name])
