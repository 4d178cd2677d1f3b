"""Slogans in many languages and scripts, for the engine's tests, samples and benchmarks.

Each entry maps an id to (BCP 47 language tag, slogan). They are real solidarity slogans
("Freedom to political prisoners", "Stop torture", "No cages"); the mixed entries exercise
font fallback (symbols, ASCII punctuation in scripts whose fonts lack it, Latin in CJK).
"""

CORPUS: dict[str, tuple[str, str]] = {
    # Latin, Cyrillic, Greek
    "en": ("en", "Freedom for all political prisoners!"),
    "en-demo": ("en", "Release the Russian Network \u24b6"),
    "ru": ("ru", "Свободу всем политическим заключённым!"),
    "ru-demo": ("ru", "СВОБОДУ АНАРХИСТАМ — ОГОНЬ ТЮРЬМАМ!"),
    "uk": ("uk", "Свободу політв’язням! Ні тортурам!"),
    "be": ("be", "Свабоду ўсім палітвязням! Жыве Беларусь!"),
    "el": ("el", "Ελευθερία στους πολιτικούς κρατούμενους!"),
    "es": ("es", "¡Libertad a los presos políticos!"),
    "fr": ("fr", "Liberté pour les prisonniers politiques\u202f!"),
    "de": ("de", "Abschiebehaftanstalten abschaffen – Freiheit für alle!"),
    "tr": ("tr", "Siyasi tutsaklara özgürlük! İşkenceye son!"),
    "vi": ("vi", "Tự do cho tù nhân chính trị!"),
    "id": ("id", "Bebaskan semua tahanan politik!"),
    "ms": ("ms", "Hentikan penyeksaan, bebaskan tahanan politik!"),
    "tl": ("tl", "Palayain ang lahat ng bilanggong pulitikal!"),
    "tpi": ("tpi", "Larim ol kalabus bilong politik i go fri!"),
    # Right to left
    "ar": ("ar", "الحرية للمعتقلين السياسيين"),
    "ar-vocalised": ("ar", "الْحُرِّيَّةُ لِلْمُعْتَقَلِينَ السِّيَاسِيِّينَ"),
    "fa": ("fa", "آزادی برای همهٔ زندانی‌های سیاسی"),
    "fa-jina": ("fa", "زن، زندگی، آزادی"),
    "ur": ("ur", "تمام سیاسی قیدیوں کو رہا کرو"),
    "he": ("he", "שחררו את האסירים הפוליטיים!"),
    # South and South-East Asia
    "hi": ("hi", "सभी राजनीतिक बंदियों को रिहा करो"),
    "bn": ("bn", "সকল রাজনৈতিক বন্দীর মুক্তি চাই"),
    "ta": ("ta", "அனைத்து அரசியல் கைதிகளையும் விடுதலை செய்!"),
    "si": ("si", "ශ්\u200dරී ලංකාවේ දේශපාලන සිරකරුවන් නිදහස් කරන්න!"),
    "th": ("th", "ปล่อยเพื่อนเรา ปล่อยนักโทษการเมืองทุกคน หยุดการทรมาน"),
    "lo": ("lo", "ປ່ອຍຕົວນັກໂທດການເມືອງທັງໝົດ"),
    "my": ("my", "နိုင်ငံရေးအကျဉ်းသားအားလုံး ချက်ချင်းလွှတ်ပေးရေး"),
    "km": ("km", "ដោះលែងអ្នកទោសនយោបាយទាំងអស់ ឥឡូវនេះ"),
    # Caucasus and Africa
    "ka": ("ka", "თავისუფლება ყველა პოლიტპატიმარს!"),
    "hy": ("hy", "Ազատություն քաղաքական բանտարկյալներին"),
    "am": ("am", "ሁሉም የፖለቲካ እስረኞች ይፈቱ!"),
    # East Asia
    "zh-Hans": ("zh-Hans", "释放所有政治犯，停止酷刑，拆除牢笼！"),
    "zh-Hant": ("zh-Hant", "釋放所有政治犯，停止酷刑，拆除牢籠！"),
    "zh-HK": ("zh-HK", "釋放全部政治犯，停止酷刑！"),
    "ja": ("ja", "すべての政治犯を釈放せよ！拷問をやめろ！"),
    "ko": ("ko", "모든 양심수를 석방하라! 고문을 중단하라!"),
    # Mixed scripts, symbols and punctuation the script's own font lacks
    "mixed-fsb": ("en", "FCK FSB FREE \u24b6 /// NETWORK"),
    "mixed-ar-digits": ("ar", "(2020) الحرية للسجناء"),
    "mixed-he-punct": ("he", 'לא לעינויים; חופש לכולם! (2024) "די"'),
    "mixed-zh-latin": ("zh-Hans", "释放 Network 囚犯!"),
    "mixed-symbols": ("en", "★ NO CAGES ★ ← → ↑ ↓ ⇒ FREE THEM ALL"),
}
