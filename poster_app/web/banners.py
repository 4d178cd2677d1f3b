"""Banners in the browser: the form with its live preview, the banner page and the downloads."""

from __future__ import annotations

import base64
from pathlib import Path

from babel.numbers import format_percent
from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from .. import slogan_languages
from ..engine_messages import cannot_use, engine_message
from ..images import image_bytes, image_mimetype, store_image
from ..layout import (
    MAX_TEXT,
    EngineError,
    MissingGlyphs,
    PrintOptionError,
    PrintOptions,
    RenderOptions,
    Spec,
    SpecError,
    contrast,
    supported_languages,
)
from ..models import Banner, is_record_id
from ..photos import PhotoError
from ..phrasebook import phrase, table_json
from ..rendering import (
    JPEG_MAX_PIXELS,
    POST_SIZES,
    PRINT_VERSION,
    SCREEN_WIDTHS,
    Downloads,
    downloads,
    renderer,
)
from ..storage import banner_store, save_banner
from .colours import ACCENTS, MIN_CONTRAST, PRESETS
from .filenames import download_name
from .formatting import ui_locale
from .forms import SYMBOLS, BannerForm, editor_forms
from .labels import colours_label, family_label, language_label, size_label, theme_label
from .responses import ONE_YEAR, immutable, phrasebook_url
from .ui_language import chosen_ui_language
from .uploads import refused, takes_image

bp = Blueprint("banners", __name__)
PREVIEW_DEFAULTS = {
    "size": "a4",
    "orientation": "",
    "style": "fill",
    "family": "sans",
    "colours": "black-on-white",
    "custom_unit": "cm",
}


def get_banner(banner_id: str) -> Banner:
    banner = banner_store().get(banner_id)
    if banner is None:
        abort(404, f"Banner {banner_id} doesn't exist.")
    return banner


@bp.route("/", methods=["GET", "POST"])
@takes_image
def index():
    """The form; a valid POST records the banner and goes to its page (works without JS)."""
    form = BannerForm()
    phrase_missing: list[str] = []
    if request.method == "GET":
        form.lang.data = default_language()
        if (source := banner_store().get(request.args.get("from", ""))) is not None:
            form.fill_from(source.spec)
        elif phrase(request.args.get("phrase", "")):  # `/?phrase=stop-torture&lang=ru`
            form = BannerForm(formdata=with_defaults(request.args))
            form.lang.data = form.lang.data or default_language()
            phrase_missing = form.fill_phrase()
    elif request.form.get("fill") and phrase(form.phrase.data or ""):  # "Fill in" without JS
        take_image(form)
        phrase_missing = form.fill_phrase()
    elif form.is_submitted():
        valid = form.validate()  # first: validate() starts each field's errors afresh
        image_taken = take_image(form)  # kept for the next try even when something is refused
        if valid and image_taken and (spec := spec_from_form(form)) is not None:
            banner = save_banner(spec)
            session["made"] = banner.id  # its page adds it to "My banners" in this browser
            # "Make a banner for this action": the banner page offers to keep it with it.
            for_action = request.args.get("action", type=int)
            return redirect(url_for("banners.show", banner_id=banner.id, action=for_action), 303)
    if request.method == "GET" and ("from" in request.args or "lang" in request.args):
        form.lang_chosen.data = "1"  # the language of a banner or a link, not a guess
    status = 422 if form.errors else 200
    presets = {key: [fg, bg] for key, (_label, fg, bg) in PRESETS.items()}
    try:
        ratio = contrast(*form.colour_pair())
    except (TypeError, ValueError):  # a custom colour that is not one; its field says so
        ratio = 21.0
    return render_template(
        "index.html",
        form=form,
        contrast=ratio,
        min_contrast=MIN_CONTRAST,
        presets=presets,
        phrases_url=phrasebook_url(),
        scripts=slogan_languages.script_table(),
        phrase_missing=phrase_missing,
        max_text=MAX_TEXT,
        accents={key: colour for key, (_label, colour) in ACCENTS.items()},
        symbols=SYMBOLS,
        image_max_mb=round(current_app.config["PHOTO_MAX_BYTES"] / 1e6),
    ), status


def take_image(form: BannerForm) -> bool:
    """Store the image sent with the form, if any, and name it in the form (which carries it
    through a refusal); False, with the message on the field, if it is refused."""
    upload = form.image.data
    if not upload or not getattr(upload, "filename", ""):
        return True
    try:
        form.image_id.data = store_image(upload.stream).id
    except PhotoError as e:
        form.image.errors = [refused(upload.filename, e)]
        return False
    form.image_remove.data = False  # a new image was chosen: it goes on the banner
    return True


@bp.get("/images/<image>")
def image(image: str):
    """An uploaded image, as stored (cleaned): for the form's preview of it."""
    data = image_bytes(image)
    if data is None:
        abort(404, "No uploaded image has this id.")
    response = current_app.response_class(data, mimetype=image_mimetype(data))
    response.set_etag(image)
    response.cache_control.max_age = ONE_YEAR
    immutable(response)  # named by its content
    return response.make_conditional(request)


@bp.get("/mine")
def mine():
    """ "My banners": the banners and campaigns made in this browser, which keeps the list
    itself (localStorage). The server never learns what is on it."""
    return render_template("banners/mine.html")


@bp.get("/phrasebook.<digest>.json")
def phrasebook(digest: str):
    """The phrasebook's translations for the forms' script: kept for good under its digest."""
    current, body = table_json()
    response = current_app.response_class(body, mimetype="application/json")
    response.set_etag(current)
    if digest == current:
        response.cache_control.max_age = ONE_YEAR
        immutable(response)
    else:  # an old page's address: today's table, asked again next time
        response.cache_control.no_cache = True
    return response.make_conditional(request)


@bp.get("/preview.png")
def preview():
    """A small PNG of the form's current state, for the live preview; errors as JSON."""
    form = BannerForm(with_defaults(request.args), meta={"csrf": False})
    width = request.args.get("width", type=int) or current_app.config["PREVIEW_WIDTH"]
    width = max(100, min(width, current_app.config["PREVIEW_MAX_WIDTH"]))
    if not form.validate() or (spec := spec_from_form(form)) is None:
        name, messages = next(iter(form.errors.items()))
        return jsonify(error=messages[0], field=name), 422
    png = renderer().cached_preview(spec, width)
    g.preview_from_cache = png is not None  # not counted against the rate limit
    if png is None:
        png = renderer().preview_png(spec, width)
    response = current_app.response_class(png, mimetype="image/png")
    response.cache_control.private = True
    response.cache_control.max_age = 3600
    return response


@bp.get("/preview/alternatives.json")
def alternatives():
    """The slogan in portrait and landscape, fill and stack: a thumbnail of each and how much
    larger its text is than now ("+46 %"), as the engine laid them out; errors as JSON."""
    form = BannerForm(with_defaults(request.args), meta={"csrf": False})
    width = max(60, min(request.args.get("width", 160, type=int), 400))
    if not form.validate() or (spec := spec_from_form(form)) is None:
        name, messages = next(iter(form.errors.items()))
        return jsonify(error=messages[0], field=name), 422
    found = renderer().alternatives(spec, width)
    now = next(alt.text_size for alt in found if alt.current)
    given = spec.replace(orientation=None).page  # the size as named: "" in the form
    own = "landscape" if given.width > given.height else "portrait"
    response = jsonify(
        alternatives=[
            {
                "orientation": alt.orientation,
                "orientation_choice": "" if alt.orientation == own else alt.orientation,
                "style": alt.style,
                "current": alt.current,
                "change": _("now")
                if alt.current
                else size_change(alt.text_size / now - 1 if now else 0.0),
                "label": alternative_label(alt, now),
                "thumb": "data:image/png;base64," + base64.b64encode(alt.png).decode("ascii"),
            }
            for alt in found
        ]
    )
    response.cache_control.private = True
    response.cache_control.max_age = 3600
    return response


@bp.get("/preview/themes.json")
def themes():
    """The form's slogan in every theme: a small picture of each, for the theme choices (the
    person's own words, as the engine lays them out in it); errors as JSON."""
    form = BannerForm(with_defaults(request.args), meta={"csrf": False})
    width = max(60, min(request.args.get("width", 160, type=int), 400))
    if not form.validate() or spec_from_form(form) is None:
        name, messages = next(iter(form.errors.items()))
        return jsonify(error=messages[0], field=name), 422
    found = renderer().themes(form.spec_options(), width)
    response = jsonify(
        themes=[
            {
                "theme": name,
                "current": name == form.theme.data,
                "thumb": png and "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
            }
            for name, png in found.items()
        ]
    )
    response.cache_control.private = True
    response.cache_control.max_age = 3600
    return response


def size_change(ratio: float) -> str:
    """'+46 %', '−12 %' in the interface language; 'same size' within half a percent."""
    if abs(ratio) < 0.005:
        return _("same size")
    text = format_percent(abs(ratio), locale=ui_locale())
    return ("+" if ratio > 0 else "−") + text


def alternative_label(alt, now: float) -> str:
    """What a thumbnail offers, for screen readers and tooltips."""
    orientation = _("Portrait") if alt.orientation == "portrait" else _("Landscape")
    style = _("Fill") if alt.style == "fill" else _("Stack")
    if alt.current:
        return _("%(orientation)s, %(style)s: as now", orientation=orientation, style=style)
    return _(
        "%(orientation)s, %(style)s: text %(change)s",
        orientation=orientation,
        style=style,
        change=size_change(alt.text_size / now - 1 if now else 0.0),
    )


def with_defaults(args: MultiDict) -> MultiDict:
    """The query with the form's defaults for what it leaves out (`?text=Hi&lang=en` works)."""
    data = MultiDict(PREVIEW_DEFAULTS)
    for key in args:
        data.setlist(key, args.getlist(key))
    return data


def spec_from_form(form: BannerForm) -> Spec | None:
    """Build and plan the Spec; on failure put the message on the right field and return None."""
    try:
        spec = Spec.from_options(form.spec_options())
        renderer().check_png_size(spec)
        renderer().layout(spec)
    except MissingGlyphs as e:
        form.text.errors = [engine_message(e)]
        return None
    except SpecError as e:
        field = form.field_for(e.field)
        field.errors = list(field.errors or []) + [cannot_use(e)]
        form.form_errors.append(engine_message(e))
        return None
    return spec


def default_language() -> str:
    """The slogan language to preselect: the interface language the person chose, else the
    browser's first language the form offers (si-LK → Sinhala, with or without a catalog)."""
    return slogan_languages.default_language(
        list(request.accept_languages.values()), chosen_ui_language()
    )


@bp.get("/banners/<banner_id>")
def show(banner_id: str):
    banner = get_banner(banner_id)
    spec = banner.spec
    names = {lang.tag: lang for lang in supported_languages()}
    size = size_label(spec.size)
    if spec.orientation:
        size += ", " + (_("landscape") if spec.orientation == "landscape" else _("portrait"))
    return render_template(
        "banner.html",
        banner=banner,
        spec=spec,
        language=names.get(spec.lang),
        size_label=size,
        language_label=language_label,
        family_label=family_label,
        colours_label=colours_label,
        theme_label=theme_label,
        contrast=contrast(spec.fg, spec.bg),
        min_contrast=MIN_CONTRAST,
        downloads=banner_downloads(banner),
        jpeg_max_pixels=JPEG_MAX_PIXELS,
        post_sizes=[(post, size) for post, size in POST_SIZES.items() if size != spec.size],
        size_label_of=size_label,
        share_name=download_name(banner.id, spec.text, spec.lang, spec.size, "png"),
        made_here=session.pop("made", None) == banner.id,
        **editor_forms(banner),
    )


def banner_downloads(banner: Banner) -> Downloads:
    """The files the banner's page offers, each with what it gives."""
    width = current_app.config["THUMB_WIDTH"]
    thumb = banner_store().thumb_path(banner.id, width)
    return downloads(
        banner.spec,
        current_app.config["DOWNLOAD_DPIS"],
        thumb_bytes=thumb.stat().st_size if thumb.exists() else 0,
        thumb_width=width,
        max_pixels=renderer().max_pixels,
    )


@bp.get("/banners/<banner_id>.pdf")
def pdf(banner_id: str):
    """The vector PDF; `?tile=a4|letter[&overlap=10]` for home printers, `?bleed=3&crop=1`
    (and `hem=40` for cloth) for a print shop. Bad values: 400; impossible for this page: 422."""
    banner = get_banner(banner_id)
    try:
        printing = PrintOptions.from_query(request.args)
    except PrintOptionError as e:
        abort(400, cannot_use(e))
    variant = printing.name
    # A print variant's file is named with PRINT_VERSION too: fixes to the map or the guides
    # reach banners whose variant was made before.
    cached = variant and f"{variant}-v{PRINT_VERSION}"
    suffix = "pdf" if not variant else f"{cached}.pdf"
    try:
        path = banner_store().rendered(
            banner.id, suffix, lambda: renderer().pdf(banner.spec, printing)
        )
    except EngineError as e:  # e.g. a hem wider than a quarter of the page, too many sheets
        abort(422, cannot_use(e))
    etag = banner.id if not variant else f"{banner.id}-{cached}"
    return _download(path, "application/pdf", banner, "pdf", etag=etag, variant=variant)


def offered_dpi() -> int | None:
    """`?dpi=N`, one of the DPIs the banner page offers (else 400), or None."""
    dpi = request.args.get("dpi", type=int)
    allowed = current_app.config["DOWNLOAD_DPIS"]
    if "dpi" in request.args and dpi not in allowed:
        abort(400, _("The DPI must be one of %(values)s.", values=", ".join(map(str, allowed))))
    return dpi


@bp.get("/banners/<banner_id>.png")
def png(banner_id: str):
    """The print PNG at the spec's DPI (else the page's), or at `?dpi=N` (an offered value)."""
    banner = get_banner(banner_id)
    dpi = offered_dpi()
    etag = banner.id if dpi is None else f"{banner.id}-{dpi}dpi"
    try:
        path = print_png(banner, dpi)
    except EngineError as e:  # over the pixel cap: the message suggests the PDF
        abort(422, cannot_use(e))
    return _download(path, "image/png", banner, "png", etag=etag, dpi=dpi)


def print_png(banner: Banner, dpi: int | None) -> Path:
    """The print PNG's file at `dpi` (None: the spec's DPI, else the page's), rendered into
    the cache on a miss (ValueError over the pixel cap)."""
    suffix = "png" if dpi is None else f"{dpi}dpi.png"
    options = RenderOptions(format="png", dpi=dpi or banner.spec.dpi)
    return banner_store().rendered(banner.id, suffix, lambda: renderer().file(banner.spec, options))


@bp.get("/banners/<banner_id>.jpg")
def jpg(banner_id: str):
    """The banner as a JPEG at the page's DPI or `?dpi=N`, for apps that take only JPEG: the
    print PNG at that DPI re-encoded."""
    banner = get_banner(banner_id)
    dpi = offered_dpi()
    suffix, etag = (
        ("jpg", f"{banner.id}-jpg")
        if dpi is None
        else (f"{dpi}dpi.jpg", f"{banner.id}-{dpi}dpi-jpg")
    )
    try:
        path = banner_store().cached(banner.id, suffix) or jpeg_of(
            banner, suffix, print_png(banner, dpi)
        )
    except ValueError:  # over the pixel cap of the PNG or of the JPEG
        abort(
            422, _("This picture would be too large. Download the PDF: it stays sharp at any size.")
        )
    return _download(path, "image/jpeg", banner, "jpg", etag=etag, dpi=dpi)


def jpeg_of(banner: Banner, suffix: str, png: Path) -> Path:
    """The JPEG file `<id>.<suffix>` made from the banner's PNG file `png`. The PNG is made
    first, outside this file's lock: the store's lock files are shared by names, and a lock
    taken inside another could be the same file (a deadlock)."""
    data = png.read_bytes()
    return banner_store().rendered(banner.id, suffix, lambda: renderer().jpeg(data))


@bp.get("/banners/<banner_id>/post/<post>.<ext>")
def post(banner_id: str, post: str, ext: str):
    """The slogan laid out again for posting: a story (1080 × 1920 px), a square or a
    portrait image, as PNG or JPEG (the PNG re-encoded)."""
    banner = get_banner(banner_id)
    if post not in POST_SIZES or ext not in ("png", "jpg"):
        abort(404)
    store = banner_store()
    path = store.cached(banner.id, f"post-{post}.{ext}")
    if path is None:
        path = store.rendered(
            banner.id, f"post-{post}.png", lambda: renderer().post_png(banner.spec, post)
        )
        if ext == "jpg":
            path = jpeg_of(banner, f"post-{post}.jpg", path)
    mimetype = "image/jpeg" if ext == "jpg" else "image/png"
    size = POST_SIZES[post]
    return _download(path, mimetype, banner, ext, etag=f"{banner.id}-{post}-{ext}", size=size)


@bp.get("/banners/<banner_id>/share.png")
def share(banner_id: str):
    """The picture the Share button hands to other apps: the banner, 1080 px wide."""
    banner = get_banner(banner_id)
    path = banner_store().rendered(
        banner.id, "share.png", lambda: renderer().share_png(banner.spec)
    )
    return _download(path, "image/png", banner, "png", etag=f"{banner.id}-share")


@bp.get("/banners/<banner_id>/projector")
def projector(banner_id: str):
    """The banner alone, as large as the screen, on black: to project it onto a wall or a
    cloth and trace the letters. Full screen with JavaScript; a plain black page without."""
    banner = get_banner(banner_id)
    page = banner.spec.page
    return render_template(
        "banners/projector.html",
        banner=banner,
        widths=SCREEN_WIDTHS,
        aspect=page.width / page.height,
    )


@bp.get("/banners/<banner_id>/screen-<int:width>.png")
def screen(banner_id: str, width: int):
    """The projector view's picture at one of SCREEN_WIDTHS (the browser picks by srcset)."""
    banner = get_banner(banner_id)
    if width not in SCREEN_WIDTHS:
        abort(404)
    path = banner_store().rendered(
        banner.id, f"screen-{width}.png", lambda: renderer().screen_png(banner.spec, width)
    )
    response = send_file(
        path, mimetype="image/png", conditional=True, etag=f"{banner.id}-screen{width}"
    )
    response.cache_control.max_age = ONE_YEAR
    return immutable(response)


@bp.get("/banners/<banner_id>/thumb.png")
def thumb(banner_id: str):
    """The banner page's picture: a file made when the banner was saved, sent as it is."""
    return _thumb(banner_id, current_app.config["THUMB_WIDTH"])


@bp.get("/banners/<banner_id>/small.png")
def small(banner_id: str):
    """The gallery's thumbnail, a file made when the banner was saved."""
    return _thumb(banner_id, current_app.config["GALLERY_THUMB_WIDTH"])


def _thumb(banner_id: str, width: int):
    """The thumbnail file; on a miss (another server made the banner, or the cache pruned it)
    it is rendered again from the stored spec."""
    store = banner_store()
    path = store.cached(banner_id, f"thumb{width}.png") if is_record_id(banner_id) else None
    if path is None:
        path = store.thumbnail(get_banner(banner_id), width)
    response = send_file(
        path,
        mimetype="image/png",
        conditional=True,
        etag=f"{banner_id}-thumb{width}",
        max_age=ONE_YEAR,
    )
    return immutable(response)


def _download(
    path,
    mimetype: str,
    banner: Banner,
    ext: str,
    etag: str,
    dpi: int | None = None,
    variant: str = "",
    size: str = "",
):
    spec = banner.spec
    name = download_name(banner.id, spec.text, spec.lang, size or spec.size, ext, dpi)
    if variant:  # `…-a0-tiled-a4.pdf`, `…-a3-bleed3mm-crop-marks.pdf`
        name = f"{name.removesuffix('.' + ext)}-{variant}.{ext}"
    response = send_file(
        path,
        mimetype=mimetype,
        as_attachment=True,
        download_name=name,
        conditional=True,
        etag=etag,
        max_age=ONE_YEAR,
    )
    return immutable(response)
