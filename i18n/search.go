package i18n

// The search screen: its title, the hint under the query, its keys and its
// empty result.
var (
	SearchHint    = m("type a code, a name, its English name, pinyin initials (gzmt) or pinyin (guizhou) · %s", "输入代码、名称、英文名、拼音首字母 (gzmt) 或全拼 (guizhou) · %s")
	SearchNoMatch = m("no symbol matches %q", "没有与 %q 匹配的证券")

	KeyPrevHit     = m("previous hit", "上一个结果")
	KeyNextHit     = m("next hit", "下一个结果")
	KeyPrevHitList = m("previous hit (list)", "上一个结果 (列表)")
	KeyNextHitList = m("next hit (list)", "下一个结果 (列表)")
)
