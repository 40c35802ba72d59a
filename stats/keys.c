/* Canonical keys and the labels that name the rows of the tables, with
 * the variants reports print (规范性文件 / 行政规范性文件, 其他结果 /
 * 其他, misprints, full-width or half-width punctuation, spaces inside
 * labels). */
#include <stdint.h>
#include <string.h>

#include "gk_utf8.h"
#include "stats_int.h"

const char *const st3_rows[ST3_NROWS] = {
	"本年新收",
	"上年结转",
	"予以公开",
	"部分公开",
	"不予公开.属于国家秘密",
	"不予公开.其他法律行政法规禁止公开",
	"不予公开.危及三安全一稳定",
	"不予公开.保护第三方合法权益",
	"不予公开.属于三类内部事务信息",
	"不予公开.属于四类过程性信息",
	"不予公开.属于行政执法案卷",
	"不予公开.属于行政查询事项",
	"无法提供.本机关不掌握相关政府信息",
	"无法提供.没有现成信息需要另行制作",
	"无法提供.补正后申请内容仍不明确",
	"不予处理.信访举报投诉类申请",
	"不予处理.重复申请",
	"不予处理.要求提供公开出版物",
	"不予处理.无正当理由大量反复申请",
	"不予处理.要求行政机关确认或重新出具已获取信息",
	"其他处理.申请人无正当理由逾期不补正",
	"其他处理.申请人逾期未按收费通知要求缴纳费用",
	"其他处理.其他",
	"其他处理",
	"总计",
	"结转下年度继续办理",
};

const char *const st3_cols[7] = {
	"自然人",       "商业企业", "科研机构", "社会公益组织",
	"法律服务机构", "其他",     "总计",
};

const char *const st4_groups[3] = { "行政复议", "直接起诉", "复议后起诉" };
const char *const st4_cols[5] = { "结果维持", "结果纠正", "其他结果",
	                          "尚未审结", "总计" };

const char *const st2_rows[ST2_NROWS] = {
	"规章",
	"行政规范性文件",
	"行政许可",
	"行政处罚",
	"行政强制",
	"行政事业性收费",
	"其他对外管理服务事项",
	"政府集中采购",
};

const char *const *gk_stats_keys(size_t *n)
{
	if (n)
		*n = gk_stats__nkeys;
	return gk_stats__keys;
}

long gk_stats_key_index(const char *key, size_t len)
{
	if (!key)
		return -1;
	for (size_t i = 0; i < gk_stats__nkeys; i++)
		if (strlen(gk_stats__keys[i]) == len &&
		    memcmp(gk_stats__keys[i], key, len) == 0)
			return (long)i;
	return -1;
}

#define OLD_PREFIX "旧表."

int gk_stats_key_valid(const char *key, size_t len)
{
	if (!key)
		return 0;
	if (gk_stats_key_index(key, len) >= 0)
		return 1;
	size_t pl = strlen(OLD_PREFIX);
	if (len <= pl || memcmp(key, OLD_PREFIX, pl) != 0)
		return 0;
	/* A label after the prefix: valid UTF-8 without control bytes. */
	for (size_t i = pl; i < len; i++)
		if ((unsigned char)key[i] < 0x20)
			return 0;
	return gk_utf8_valid(key + pl, len - pl, NULL) ? 1 : 0;
}

size_t st_norm(const char *p, size_t n, char *out, size_t cap)
{
	size_t o = 0, i = 0;
	while (i < n && cap) {
		size_t sp = gk_utf8_space_len(p + i, n - i);
		if (sp) {
			i += sp;
			continue;
		}
		uint32_t cp;
		size_t k = gk_utf8_decode(p + i, n - i, &cp);
		if (!k) {
			i++;
			continue;
		}
		if (cp == '\n' || cp == 0x201C || cp == 0x201D || cp == '"' ||
		    cp == '\'' || cp == 0x2018 || cp == 0x2019) {
			i += k;
			continue;
		}
		char buf[4];
		size_t m;
		if (cp >= 0xFF01 && cp <= 0xFF5E) {
			buf[0] = (char)(cp - 0xFEE0);
			m = 1;
		} else {
			memcpy(buf, p + i, k);
			m = k;
		}
		if (o + m >= cap)
			break;
		memcpy(out + o, buf, m);
		o += m;
		i += k;
	}
	if (cap)
		out[o < cap ? o : cap - 1] = '\0';
	return o;
}

bool st_has(const char *norm, size_t n, const char *pat)
{
	size_t m = strlen(pat);
	if (m > n)
		return false;
	for (size_t i = 0; i + m <= n; i++)
		if (memcmp(norm + i, pat, m) == 0)
			return true;
	return false;
}

static bool ends_with(const char *s, size_t n, const char *pat)
{
	size_t m = strlen(pat);
	return m <= n && memcmp(s + n - m, pat, m) == 0;
}

/* Distinctive words of each 表三 row, '|' between alternatives; the
 * specific rows are tried before the groups whose names they contain. */
static const struct {
	int row;
	const char *pats;
} st3_pats[] = {
	{ ST3_NEW, "本年新收" },
	{ ST3_CARRY_OUT, "结转下年度|下年度继续" },
	{ ST3_CARRY_IN, "上年结转" },
	{ 4, "国家秘密" },
	{ 5, "其他法律|禁止公开|行政法规禁止" },
	{ 6, "三安全|危及" },
	{ 7, "第三方" },
	{ 8, "内部事务" },
	{ 9, "过程性" },
	{ 10, "执法案卷" },
	{ 11, "查询事项" },
	{ 12, "不掌握" },
	{ 13, "没有现成|另行制作" },
	{ 14, "补正后|仍不明确" },
	{ 15, "信访|举报投诉" },
	{ 16, "重复申请" },
	{ 17, "出版物" },
	{ 18, "大量反复" },
	{ 19, "重新出具|确认或重" },
	{ 20, "逾期不补正|无正当理由逾期" },
	{ 21, "收费通知|缴纳费用" },
	{ 2, "予以公开" },
	{ 3, "部分公开" },
};

static bool has_any(const char *norm, size_t n, const char *pats)
{
	char one[64];
	const char *p = pats;
	while (*p) {
		const char *bar = strchr(p, '|');
		size_t m = bar ? (size_t)(bar - p) : strlen(p);
		if (m < sizeof one) {
			memcpy(one, p, m);
			one[m] = '\0';
			if (st_has(norm, n, one))
				return true;
		}
		p += m;
		if (*p == '|')
			p++;
	}
	return false;
}

int st3_match(const char *norm, size_t n)
{
	for (size_t i = 0; i < sizeof st3_pats / sizeof *st3_pats; i++)
		if (has_any(norm, n, st3_pats[i].pats))
			return st3_pats[i].row;
	/* "3.其他" under （六）其他处理, or the single row of 2019. */
	if (ends_with(norm, n, "3.其他") || ends_with(norm, n, "3、其他") ||
	    (n == strlen("其他") && memcmp(norm, "其他", n) == 0))
		return ST3_OTHER_SUB + 2;
	if (st_has(norm, n, "其他处理"))
		return ST3_OTHER_ONE;
	if (st_has(norm, n, "总计") && !st_has(norm, n, "自然人"))
		return ST3_TOTAL;
	return -1;
}

/* The row name ends the label (a flattened table runs the header and
 * even prose into it): the name found last wins. */
int st2_match(const char *norm, size_t n)
{
	static const struct {
		int row;
		const char *pat;
	} pats[] = {
		{ ST2_NORMATIVE, "规范性文件" },
		{ ST2_RULES, "规章" },
		{ ST2_LICENCE, "行政许可" },
		{ ST2_OTHER_SERVICE, "其他对外管理服务" },
		{ ST2_PENALTY, "行政处罚" },
		{ ST2_COERCION, "行政强制" },
		{ ST2_FEES, "事业性收费" },
		{ ST2_PURCHASE, "集中采购" },
	};
	int best = -1;
	size_t best_end = 0;
	for (size_t k = 0; k < sizeof pats / sizeof *pats; k++) {
		size_t m = strlen(pats[k].pat);
		for (size_t i = n >= m ? n - m + 1 : 0; i-- > 0;)
			if (memcmp(norm + i, pats[k].pat, m) == 0) {
				if (best < 0 || i + m > best_end) {
					best = pats[k].row;
					best_end = i + m;
				}
				break;
			}
	}
	return best;
}
