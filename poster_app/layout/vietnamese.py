"""Vietnamese words of more than one syllable, as adjacent syllable pairs ("tù nhân").

Vietnamese writes a space between syllables, also inside a word, so the line breaker sees
"tù│nhân" (prisoner) and "chính│trị" (political) as two words. A break between the syllables
of a listed word costs like a break inside any word. The list holds the words of slogans and
of civic life; a word of three or more syllables is listed by each of its adjacent pairs.
"""

from __future__ import annotations

_WORDS = """
tự do; tù nhân; chính trị; tù chính trị; nhân quyền; quyền con người; dân chủ; độc lập;
tra tấn; đàn áp; bắt giữ; bắt bớ; giam giữ; nhà tù; trại giam; công lý; công bằng; hòa bình;
bình đẳng; đoàn kết; chiến tranh; phản đối; biểu tình; lao động; công nhân; nông dân;
sinh viên; học sinh; phụ nữ; trẻ em; người dân; nhân dân; đất nước; tổ quốc; quốc gia;
chính phủ; nhà nước; cảnh sát; công an; quân đội; bạo lực; khủng bố; tự nhiên; môi trường;
khí hậu; ngôn luận; báo chí; tôn giáo; tín ngưỡng; lương tâm; hội họp; lập hội; bầu cử;
hiến pháp; pháp luật; luật pháp; tòa án; xét xử; bản án; kết án; án tù; phóng thích; trả tự do;
giải phóng; thả ngay; ngay lập tức; lập tức; tất cả; mọi người; người tị nạn; tị nạn;
di cư; biên giới; chủ nghĩa; xã hội; phát xít; chống phát xít; vô chính phủ; tư bản;
cách mạng; đấu tranh; kháng chiến; ủng hộ; bảo vệ; sự thật; danh dự; nhân phẩm; yêu thương;
tình yêu; cộng đồng; hàng xóm; gia đình; thế giới; quốc tế; liên đới; tình đoàn kết;
thể hiện; dừng lại; chấm dứt; ngừng ngay; không bao giờ; bao giờ; luôn luôn; mãi mãi;
bạn bè; đồng chí; anh chị em; người lao động; việt nam; sài gòn; hà nội; nga; ukraina
"""

WORDS: frozenset[str] = frozenset(
    f"{a} {b}"
    for word in _WORDS.replace("\n", " ").split(";")
    for a, b in zip(word.split(), word.split()[1:], strict=False)
)
