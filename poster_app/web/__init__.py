"""The web layer: one blueprint per feature, and the helpers they share.

Blueprints (each a `bp`, registered by app.py; none imports another, except `auth`'s guard):
  banners    the form with its live preview, the banner page, its PNG/PDF downloads
  api        the JSON API (/api/banners, /api/actions)
  gallery    kept banners as cards, filtered and paginated; keep / take out
  actions    recorded actions with their photos; the editors' form
  campaigns  one slogan in many languages and sizes, made in the background, one ZIP
  feeds      Atom feeds of actions and of the gallery
  auth       first editor, log in and out, and `editor_required`
  i18n       the UI language (cookie, Accept-Language) and its switcher

Helpers (no routes):
  forms      every form of the site        labels      names of languages and sizes
  responses  immutable files, safe redirects, banner URLs
  formatting dates and countries in the UI language (template filters)
  colours    colour presets and the contrast check      filenames   download names
  errors     error pages / JSON errors     security    headers, proxy    limits   rate limits
  assets     static files under content-hashed names, compressed responses

Below the web: rendering.py (the only door to the engine), storage.py (banners and photos
on disk and their rows), queries.py (what pages ask of the records), campaigns.py (the job).
"""
