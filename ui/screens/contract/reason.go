package contract

import (
	"regexp"

	"github.com/rareterm/rareterm/i18n"
)

// reasons are the feed's reasons a concentrate notice's price was not read
// (stored as English text with the notice), matched to say them in Chinese.
var reasons = []struct {
	re *regexp.Regexp
	t  i18n.Text
}{
	{regexp.MustCompile(`^not a quarterly concentrate-price notice$`), i18n.ReasonNotQuarterly},
	{regexp.MustCompile(`^the text names no price for (.+)$`), i18n.ReasonNoPriceFor},
	{regexp.MustCompile(`^no 不含税…元/吨 price in the sentence$`), i18n.ReasonNoPrice},
	{regexp.MustCompile(`^price (.+) out of range$`), i18n.ReasonPriceRange},
	{regexp.MustCompile(`^no REO basis in the sentence$`), i18n.ReasonNoBasis},
	{regexp.MustCompile(`^REO basis (.+) out of range$`), i18n.ReasonBasisRange},
	{regexp.MustCompile(`^the step printed \((.+)\) is not price/basis \((.+)\)$`), i18n.ReasonStep},
}

// reasonIn is a notice's reason in l: the stored text in English, its
// Chinese when it is one of the feed's reasons (else as stored).
func reasonIn(l i18n.Lang, reason string) string {
	if l == i18n.EN {
		return reason
	}
	for _, r := range reasons {
		if m := r.re.FindStringSubmatch(reason); m != nil {
			args := make([]any, len(m)-1)
			for i, a := range m[1:] {
				args[i] = a
			}
			return r.t.F(l, args...)
		}
	}
	return reason
}
