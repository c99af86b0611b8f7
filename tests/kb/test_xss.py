"""Written text is rendered harmless: a corpus of XSS vectors put through a content file."""

from bs4 import BeautifulSoup

from portal.text import render

VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="javascript:alert(1)">',
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<img src=`javascript:alert(1)`>",
    "<body onload=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x=20 y=20>x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">CLICK</math>',
    "<math><maction actiontype=statusline xlink:href=javascript:alert(1)>x</maction></math>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    "<button formaction=javascript:alert(1)>x</button>",
    "<input autofocus onfocus=alert(1)>",
    "<select onfocus=alert(1) autofocus>",
    "<textarea autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<style>@import 'javascript:alert(1)';</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="expression(alert(1))">x</p>',
    '<link rel=stylesheet href="javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<a href="javascript:alert(1)">klik</a>',
    '<a href="JAVASCRIPT:alert(1)">klik</a>',
    '<a href="  javascript:alert(1)">klik</a>',
    '<a href="java&#x09;script:alert(1)">klik</a>',
    '<a href="jav&#x0A;ascript:alert(1)">klik</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)">klik</a>',
    '<a href="vbscript:msgbox(1)">klik</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">klik</a>',
    '<a href="data:text/html,<script>alert(1)</script>">klik</a>',
    '<a href="#" onclick="alert(1)">klik</a>',
    '<a href="#" onmouseover=alert(1)>klik</a>',
    "[klik](javascript:alert(1))",
    "[klik](JavaScript:alert(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD4=)",
    "[klik](vbscript:msgbox(1))",
    "![billede](javascript:alert(1))",
    '![billede](x" onerror="alert(1))',
    "[klik](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    "[a]: javascript:alert(1)\n\n[ref][a]",
    "<div onclick=alert(1)>x</div>",
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    "<td background=javascript:alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<template><script>alert(1)</script></template>",
    "<x onclick=alert(1)>x</x>",
    '"><script>alert(1)</script>',
    "<!--<script>alert(1)</script>-->",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<abbr title="x" onmouseover=alert(1)>BIF</abbr>',
    "<h2 id=x onclick=alert(1)>x</h2>",
]
FORBIDDEN_TAGS = {
    "script",
    "iframe",
    "svg",
    "math",
    "style",
    "form",
    "object",
    "embed",
    "input",
    "button",
    "link",
    "meta",
    "base",
    "img",
    "video",
    "audio",
    "textarea",
    "select",
    "template",
    "noscript",
    "details",
    "marquee",
    "body",
    "x",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "xlink:href", "data"}


def harmless(html: str) -> list[str]:
    problems = []
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        if tag.name in FORBIDDEN_TAGS:
            problems.append(f"tag <{tag.name}>")
        for name, value in tag.attrs.items():
            if name.lower().startswith("on") or name.lower() == "style":
                problems.append(f"attribute {name} on <{tag.name}>")
            if name.lower() in URL_ATTRIBUTES:
                plain = "".join(str(value).split()).lower()
                if plain.startswith(("javascript:", "vbscript:", "data:")):
                    problems.append(f"{name}={value!r} on <{tag.name}>")
    return problems


def test_corpus_is_large_enough():
    assert len(VECTORS) >= 50


def test_every_vector_is_rendered_harmless():
    for vector in VECTORS:
        html = render(f"Tekst før.\n\n{vector}\n\nTekst efter.").html
        assert not harmless(html), (vector, html, harmless(html))


def test_the_check_itself_catches_unsafe_html():
    assert harmless('<a href=" JavaScript:x">a</a><p onclick="x">b</p><svg></svg>')


def test_vectors_in_a_content_file_are_harmless_on_the_page(app, client, sync, content_dir):
    body = "\n\n".join(VECTORS)
    steps = "\n".join(
        f"  - owner: both\n    title: Trin {i}\n    text: {v!r}" for i, v in enumerate(VECTORS[:20])
    )
    (content_dir / "sagsgange" / "farlig-side.md").write_text(
        "---\ntitle: \"<script>alert('titel')</script>\"\nsummary: <img src=x onerror=alert(1)>\n"
        'administration: both\ncategory: Test\ntags: ["<b onclick=x>tag</b>"]\n'
        "owner: BIF-SOF specialenheden\nreviewed: 2026-11-23\nrelated: []\n"
        f"trigger: <svg onload=alert(1)>\nsteps:\n{steps}\n---\n{body}\n",
        encoding="utf-8",
    )
    sync()
    for url in ["/sagsgange/farlig-side", "/sagsgange/"]:
        html = client.get(url).get_data(as_text=True)
        main = str(BeautifulSoup(html, "html.parser").main)
        assert not harmless(main), (url, harmless(main))
        assert "&lt;script&gt;alert(&#39;titel&#39;)&lt;/script&gt;" in html  # shown, escaped
