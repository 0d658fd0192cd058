package model

import "testing"

// Real security names and the initials desks type for them.
var realInitials = map[string]string{
	"中国银行": "zgyh", "工商银行": "gsyh", "建设银行": "jsyh", "农业银行": "nyyh", "招商银行": "zsyh",
	"交通银行": "jtyh", "浦发银行": "pfyh", "兴业银行": "xyyh", "民生银行": "msyh", "平安银行": "payh",
	"宁波银行": "nbyh", "重庆银行": "cqyh", "上海银行": "shyh", "杭州银行": "hzyh", "成都银行": "cdyh",
	"南京银行": "njyh", "北京银行": "bjyh", "长沙银行": "csyh", "厦门银行": "xmyh", "华夏银行": "hxyh",
	"长江电力": "cjdl", "长城汽车": "ccqc", "长春高新": "ccgx", "长安汽车": "caqc", "长江证券": "cjzq",
	"长源电力": "cydl", "四川长虹": "scch", "重庆啤酒": "cqpj", "重庆钢铁": "cqgt", "重庆燃气": "cqrq",
	"中国重工": "zgzg", "潍柴重机": "wczj", "厦门钨业": "xmwy", "厦门国贸": "xmgm", "厦门象屿": "xmxy",
	"西藏矿业": "xzky", "西藏药业": "xzyy", "西藏天路": "xztl", "藏格矿业": "zgky", "广晟有色": "gsys",
	"乐山电力": "lsdl", "乐普医疗": "lpyl", "乐鑫科技": "lxkj", "会稽山": "kjs", "贵州茅台": "gzmt",
	"北方稀土": "bfxt", "中国稀土": "zgxt", "盛和资源": "shzy", "包钢股份": "bggf", "金力永磁": "jlyc",
	"中科三环": "zksh", "华宏科技": "hhkj", "久吾高科": "jwgk", "五粮液": "wly", "万  科Ａ": "wka",
	"格力电器": "gldq", "美的集团": "mdjt", "中国平安": "zgpa", "比亚迪": "byd", "宁德时代": "ndsd",
	"中信证券": "zxzq", "东方财富": "dfcf", "海天味业": "htwy", "恒瑞医药": "hryy", "片仔癀": "pzh",
	"中国石化": "zgsh", "中国石油": "zgsy", "中兴通讯": "zxtx", "传化智联": "chzl", "东莞控股": "dgkg",
	"沈阳化工": "syhg", "稀土ETF": "xtetf", "厦门钨业B": "xmwyb",
}

func TestPinyinInitialsOfRealNames(t *testing.T) {
	if len(realInitials) < 50 {
		t.Fatalf("only %d names", len(realInitials))
	}
	for name, want := range realInitials {
		if got := PinyinInitials(name); got != want {
			t.Errorf("PinyinInitials(%q) = %q, want %q", name, got, want)
		}
		if at, pri := Spell(name).MatchInitials(want); at != 0 || !pri {
			t.Errorf("%q: MatchInitials(%q) = %d, %v", name, want, at, pri)
		}
	}
}

func TestPinyinEveryPlausibleReadingMatches(t *testing.T) {
	for _, c := range []struct {
		name, q string
		at      int
		primary bool
	}{
		{"中国银行", "yh", 2, true},
		{"中国银行", "yx", 2, false}, // 行 read xíng still finds it
		{"长江电力", "zjdl", 0, false},
		{"长江电力", "cj", 0, true},
		{"重庆银行", "zqyh", 0, false},
		{"厦门钨业", "smwy", 0, false},
		{"西藏矿业", "xcky", 0, false},
		{"乐山电力", "ysdl", 0, false},
		{"广晟有色", "gcys", 0, false},
		{"贵州茅台", "mt", 2, true},
		{"贵州茅台", "xx", -1, false},
	} {
		at, pri := Spell(c.name).MatchInitials(c.q)
		if at != c.at || pri != c.primary {
			t.Errorf("%s ~ %q: at %d primary %v, want %d %v", c.name, c.q, at, pri, c.at, c.primary)
		}
	}
}

func TestPinyinFull(t *testing.T) {
	for _, c := range []struct {
		name, q string
		at      int
		primary bool
	}{
		{"贵州茅台", "guizhoumaotai", 0, true},
		{"贵州茅台", "guizhoumao", 0, true},
		{"贵州茅台", "maot", 2, true},
		{"中国银行", "zhongguoyinhang", 0, true},
		{"中国银行", "yinxing", 2, false},
		{"重庆啤酒", "chongqing", 0, true},
		{"重庆啤酒", "zhongqing", 0, false},
		{"厦门钨业", "xiamen", 0, true},
		{"西藏矿业", "xizang", 0, true},
		{"广晟有色", "guangsheng", 0, true},
		{"北方稀土", "beifangxitu", 0, true},
		{"北方稀土", "beifangxitux", -1, false},
		{"万科Ａ", "wankea", 0, true},
	} {
		at, pri := Spell(c.name).MatchFull(c.q)
		if at != c.at || pri != c.primary {
			t.Errorf("%s ~ %q: at %d primary %v, want %d %v", c.name, c.q, at, pri, c.at, c.primary)
		}
	}
	if got := PinyinFull("长江电力"); got != "changjiangdianli" {
		t.Errorf("PinyinFull(长江电力) = %q", got)
	}
	if got := Readings('行'); len(got) < 2 || got[0] != "hang" {
		t.Errorf("Readings(行) = %v", got)
	}
}

func TestNormalizeName(t *testing.T) {
	if got := NormalizeName("万  科Ａ"); got != "万科a" {
		t.Errorf("NormalizeName = %q", got)
	}
}
