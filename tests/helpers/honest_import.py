"""Files for issue 11 point 6 ("import keeps only what a reader sees, and says when it
guessed"), built at run time: pages with hidden text, e-mails whose plain and HTML parts
disagree, charset labels that lie, stray bytes, UTF-16/32 without a byte-order mark, and
good files that must come through exactly as before.
"""

from __future__ import annotations

from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

RUSSIAN = (
    "Кремль заявил о принципе взаимности.\n"
    "Песков сказал, что ответ будет зеркальным, решение уже принято.\n"
    "Министерство иностранных дел объявит меры в понедельник.\n"
)
LATIN = "Café society in Zürich: naïve façades, Größe and ações.\n"
PARAGRAPHS = [
    "The Kremlin said on Friday that it would respond to the expulsion of its diplomats on "
    "the principle of reciprocity, escalating a dispute that began last week.",
    "Presidential spokesman Dmitry Peskov told reporters in Moscow that the decision had been "
    "taken at the highest level and that the ministry would announce the details in due course.",
    "Western officials described the expulsions as a response to intelligence activity and said "
    "that further measures were not ruled out, according to two people familiar with the matter.",
]
HEADLINE = "Kremlin demands reciprocity in embassy row"

# One marker word per way of hiding text; none may reach the imported body or title.
HIDDEN_BLOCKS = {
    "HIDDENATTRIBUTE": "<p hidden>HIDDENATTRIBUTE {filler}</p>",
    "HIDDENUNTILFOUND": '<div hidden="until-found"><p>HIDDENUNTILFOUND {filler}</p></div>',
    "HIDDENARIA": '<p aria-hidden="True">HIDDENARIA {filler}</p>',
    "HIDDENDISPLAY": '<p style="color: red;DISPLAY : None !important">HIDDENDISPLAY {filler}</p>',
    "HIDDENDISPLAYSPACED": '<div style=" display:none "><p>HIDDENDISPLAYSPACED {filler}</p></div>',
    "HIDDENVISIBILITY": '<p style="Visibility: HIDDEN">HIDDENVISIBILITY {filler}</p>',
    "HIDDENTEMPLATE": "<template><p>HIDDENTEMPLATE {filler}</p></template>",
    "HIDDENNOSCRIPT": "<noscript><p>HIDDENNOSCRIPT {filler}</p></noscript>",
}
FILLER = (
    "the minister resigned in disgrace overnight and the embassy was closed for good, "
    "officials confirmed in a statement that nobody in the room had read."
)


def hidden_text_page() -> bytes:
    """An article whose paragraphs alternate with text hidden in every way listed above,
    a hidden headline, a fake title in <noscript> metadata, and a hidden word mid-sentence
    (the text after it must stay)."""
    blocks = [block.format(filler=FILLER) for block in HIDDEN_BLOCKS.values()]
    body = "\n".join(
        f"<p>{paragraph}</p>\n{hidden}"
        for paragraph, hidden in zip(PARAGRAPHS * 3, blocks, strict=False)
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{HEADLINE} | Northern Herald</title>
<noscript><meta property="og:title" content="HIDDENMETATITLE"></noscript>
<meta property="og:site_name" content="Northern Herald">
</head><body><main><article>
<h1 hidden>HIDDENHEADLINE resigns</h1>
<h1>{HEADLINE}</h1>
{body}
<p>The spokesman said <span hidden>HIDDENINLINE</span>that the answer would be mirror-like.</p>
</article></main></body></html>
""".encode()


def plain_page() -> bytes:
    body = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{HEADLINE}</title>"
        f"</head><body><article><h1>{HEADLINE}</h1>{body}</article></body></html>"
    ).encode()


def lying_page(charset: str, text: str) -> bytes:
    """A page in UTF-8 whose <meta> claims ``charset``."""
    paragraphs = "".join(f"<p>{line} {PARAGRAPHS[0]}</p>" for line in text.splitlines())
    return (
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" '
        f'content="text/html; charset={charset}"><title>Charset</title></head>'
        f"<body><article><h1>Charset test</h1>{paragraphs}</article></body></html>"
    ).encode()


def alternative_email(plain: str, html: str, subject: str = "Reception on 15 April") -> bytes:
    message = MIMEMultipart("alternative")
    message["Subject"] = subject
    message["From"] = "Protocol <protocol@ministry.example>"
    message.attach(MIMEText(plain, "plain", "utf-8"))
    message.attach(MIMEText(html, "html", "utf-8"))
    return message.as_bytes()


DISAGREEING_PLAIN = (
    "Dear colleagues,\n\nThe ambassador will NOT attend the reception on 15 April.\n\n"
    "Regards,\nProtocol"
)
DISAGREEING_HTML = (
    "<html><body>"
    '<div style="display:none;max-height:0">PREHEADER see the attached seating plan</div>'
    "<p>Dear colleagues,</p><p>The ambassador <b>will attend</b> the reception on "
    "15&nbsp;April.</p><p>Regards,<br>Protocol</p></body></html>"
)


def disagreeing_email() -> bytes:
    return alternative_email(DISAGREEING_PLAIN, DISAGREEING_HTML)


def agreeing_email() -> bytes:
    return alternative_email(
        "The ambassador will attend the reception on 15 April.\n"
        "Details: https://ministry.example/reception\n",
        '<p>The ambassador will attend the reception on <a href="https://ministry.example/'
        'reception">15 April</a>.</p>',
    )


def lying_email_part(charset: str, text: str) -> bytes:
    """A one-part e-mail whose UTF-8 body claims ``charset`` (sent 8bit, as broken mailers
    do)."""
    head = (
        "Subject: Charset test\r\nFrom: desk@ministry.example\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: text/plain; charset={charset}\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    )
    return head.encode("ascii") + text.encode("utf-8")


def stray_byte_text() -> bytes:
    """UTF-8 Cyrillic with one cp1252 em dash (0x97) pasted into line 3."""
    lines = RUSSIAN.encode("utf-8").split(b"\n")
    lines[2] = lines[2].replace(b" ", b" \x97 ", 1)
    return b"\n".join(lines)


WIDE_CODECS = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
WIDE_LABELS = {"utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE",
               "utf-32-le": "UTF-32LE", "utf-32-be": "UTF-32BE"}  # fmt: skip


def wide_text(codec: str) -> bytes:
    """Russian and English text in ``codec``, without a byte-order mark."""
    return (RUSSIAN + PARAGRAPHS[0] + "\n").encode(codec)


def write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path
