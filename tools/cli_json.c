/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --output json: the YAML the commands print, converted to JSON.
 *
 * Converting keeps one printer per structure (in the library) instead of two that can drift
 * apart. It is not a YAML parser: it takes the block style the printers write, by construction:
 * "key: value" and "key:" mappings indented by spaces, "- " sequences (under a key at the same or
 * a deeper indentation), plain scalars, double-quoted scalars with \" \\ \xNN escapes,
 * single-quoted scalars, "~", "[]", "{}" and one-line flow sequences of scalars. Anything else is
 * refused (-EINVAL), so a printer that strays is found by the tests instead of mistranslated.
 * Scalars get the types a YAML 1.1 reader gives them: decimal and 0x integers, fractions written
 * as digits.digits, true/false, ~.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cli.h"

struct json_line {
	int indent;
	char *text; ///< After the indentation, NUL-terminated, no trailing blanks
};

struct json_doc {
	struct json_line *lines;
	size_t nlines;
	size_t pos;
	FILE *out;
};

static int json_node(struct json_doc *doc, int indent);

static int
json_str(FILE *out, const char *str, size_t len)
{
	fputc('"', out);
	for (size_t i = 0; i < len; ++i) {
		unsigned char c = (unsigned char)str[i];

		if (c == '"' || c == '\\') {
			fprintf(out, "\\%c", c);
		} else if (c < 0x20 || c > 0x7E) {
			fprintf(out, "\\u%04x", c);
		} else {
			fputc(c, out);
		}
	}
	fputc('"', out);
	return 0;
}

static int
json_hexval(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A double-quoted YAML scalar of @p len bytes starting after the quote; the closing quote ends it
 */
static int
json_dquoted(FILE *out, const char *str, const char **end)
{
	fputc('"', out);
	for (; *str && *str != '"'; ++str) {
		unsigned c = (unsigned char)*str;

		if (c == '\\') {
			++str;
			if (*str == '"' || *str == '\\') {
				c = (unsigned char)*str;
			} else if (*str == 'x' && json_hexval(str[1]) >= 0 &&
				   json_hexval(str[2]) >= 0) {
				c = (unsigned)(json_hexval(str[1]) << 4 | json_hexval(str[2]));
				str += 2;
			} else {
				return -EINVAL;
			}
		}
		if (c == '"' || c == '\\') {
			fprintf(out, "\\%c", c);
		} else if (c < 0x20 || c > 0x7E) {
			fprintf(out, "\\u%04x", c);
		} else {
			fputc((int)c, out);
		}
	}
	if (*str != '"') {
		return -EINVAL;
	}
	*end = str + 1;
	fputc('"', out);
	return 0;
}

static int
json_is_int(const char *str, size_t len, int *hex)
{
	size_t i = 0;

	*hex = len > 2 && str[0] == '0' && (str[1] == 'x' || str[1] == 'X');
	if (*hex) {
		for (i = 2; i < len && isxdigit((unsigned char)str[i]); ++i) {
		}
		return i == len;
	}
	if (len && str[0] == '-') {
		i = 1;
	}
	/* A leading zero would be octal to a YAML 1.1 reader: not written by the printers */
	if (i >= len || (str[i] == '0' && len - i > 1)) {
		return 0;
	}
	for (; i < len && isdigit((unsigned char)str[i]); ++i) {
	}
	return i == len;
}

/*
 * Zero written as "00", "0000", "00000000": xNVMe's "%#04x" style prints zero so (the spec command
 * printer does), and a YAML 1.1 reader takes it for the octal number 0
 */
static int
json_is_zeros(const char *str, size_t len)
{
	size_t i = 0;

	while (i < len && str[i] == '0') {
		++i;
	}
	return len > 1 && i == len;
}

/* A fraction as the tools print one (e.g. "718.0", "-0.25"): the same number to YAML and JSON */
static int
json_is_decimal(const char *str, size_t len)
{
	size_t i = str[0] == '-', ndig = 0, dot = 0;

	if (i < len && str[i] == '0' && i + 1 < len && str[i + 1] != '.') {
		return 0;
	}
	for (; i < len; ++i) {
		if (str[i] == '.' && !dot && ndig) {
			dot = i;
		} else if (isdigit((unsigned char)str[i])) {
			ndig++;
		} else {
			return 0;
		}
	}
	return dot && dot + 1 < len;
}

/* One scalar of @p len bytes: a plain, quoted or typed YAML value */
static int
json_scalar(FILE *out, const char *str, size_t len)
{
	const char *end;
	int hex;

	if (!len || (len == 1 && str[0] == '~') || (len == 4 && !strncmp(str, "null", 4))) {
		fputs("null", out);
		return 0;
	}
	if ((len == 4 && !strncmp(str, "true", 4)) || (len == 5 && !strncmp(str, "false", 5))) {
		fprintf(out, "%.*s", (int)len, str);
		return 0;
	}
	if (str[0] == '"') {
		if (json_dquoted(out, str + 1, &end) || end != str + len) {
			return -EINVAL;
		}
		return 0;
	}
	if (str[0] == '\'') {
		if (len < 2 || str[len - 1] != '\'') {
			return -EINVAL;
		}
		fputc('"', out);
		for (size_t i = 1; i < len - 1; ++i) {
			unsigned char c = (unsigned char)str[i];

			i += c == '\'' && str[i + 1] == '\''; /* '' is one quote */
			if (c == '"' || c == '\\' || c < 0x20 || c > 0x7E) {
				fprintf(out, "\\u%04x", c);
			} else {
				fputc(c, out);
			}
		}
		fputc('"', out);
		return 0;
	}
	if (json_is_decimal(str, len)) {
		fprintf(out, "%.*s", (int)len, str);
		return 0;
	}
	if (json_is_zeros(str, len)) {
		fputs("0", out);
		return 0;
	}
	if (json_is_int(str, len, &hex)) {
		char num[48]; /* 128-bit counters have 39 digits */

		if (len >= sizeof(num)) {
			return -EINVAL;
		}
		snprintf(num, sizeof(num), "%.*s", (int)len, str);
		if (hex) {
			errno = 0;
			uint64_t val = strtoull(num, NULL, 16);

			if (errno) {
				return -EINVAL;
			}
			fprintf(out, "%" PRIu64, val);
		} else {
			fputs(num, out);
		}
		return 0;
	}
	/* Plain text a YAML 1.1 reader takes for something else (a float, yes/no, a flow node, a
	 * timestamp) is refused */
	static const char *const words[] = {"yes", "no",   "on",    "off", "y",
					    "n",   "true", "false", "null"};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); ++i) {
		if (strlen(words[i]) == len && !strncasecmp(str, words[i], len)) {
			return -EINVAL;
		}
	}
	if (strchr("[]{}&*!|>%@`#,+?:=<", str[0]) || isdigit((unsigned char)str[0]) ||
	    str[0] == '-' || str[0] == '.') {
		return -EINVAL;
	}
	return json_str(out, str, len);
}

/* The length of the scalar at @p str: quoted up to its closing quote, plain up to a flow indicator
 * or, for a key (@p key), the ": " after it; trailing blanks are not part of a plain scalar */
static size_t
json_scalar_len(const char *str, int key)
{
	size_t len = 0;

	if (str[0] == '"') {
		for (len = 1; str[len] && str[len] != '"'; ++len) {
			len += str[len] == '\\' && str[len + 1];
		}
		return str[len] ? len + 1 : len;
	}
	if (str[0] == '\'') {
		for (len = 1; str[len]; ++len) {
			if (str[len] == '\'' && str[len + 1] != '\'') {
				return len + 1;
			}
			len += str[len] == '\'';
		}
		return len;
	}
	while (str[len] && !strchr(",[]{}", str[len]) &&
	       !(key && str[len] == ':' && (str[len + 1] == ' ' || !str[len + 1]))) {
		++len;
	}
	while (len && str[len - 1] == ' ') {
		--len;
	}
	return len;
}

/* A one-line flow collection ("[a, b]", "{k: v, ...}", nested) at *@p pos; moves *@p pos past it */
static int
json_flow(FILE *out, const char **pos, int depth)
{
	const char *c = *pos;
	char close = *c == '[' ? ']' : '}';
	int first = 1;

	if (depth > 32) {
		return -EINVAL;
	}
	fputc(*c++, out);
	for (;;) {
		size_t len;

		while (*c == ' ') {
			++c;
		}
		if (*c == close) {
			break;
		}
		if (!first) {
			if (*c != ',') {
				return -EINVAL;
			}
			++c;
			while (*c == ' ') {
				++c;
			}
			fputc(',', out);
		}
		first = 0;
		if (close == '}') {
			len = json_scalar_len(c, 1);
			if (!len || c[len] != ':' || c[0] == '[' || c[0] == '{') {
				return -EINVAL;
			}
			if (c[0] == '"' || c[0] == '\'') {
				if (json_scalar(out, c, len)) {
					return -EINVAL;
				}
			} else {
				json_str(out, c, len);
			}
			fputc(':', out);
			c += len + 1;
			while (*c == ' ') {
				++c;
			}
		}
		if (*c == '[' || *c == '{') {
			if (json_flow(out, &c, depth + 1)) {
				return -EINVAL;
			}
			continue;
		}
		len = json_scalar_len(c, 0);
		if (!len || json_scalar(out, c, len)) {
			return -EINVAL;
		}
		c += len;
	}
	fputc(close, out);
	*pos = c + 1;
	return 0;
}

static int
json_value(FILE *out, const char *str)
{
	if (str[0] == '[' || str[0] == '{') {
		if (json_flow(out, &str, 0)) {
			return -EINVAL;
		}
		while (*str == ' ') {
			++str;
		}
		return *str ? -EINVAL : 0;
	}
	return json_scalar(out, str, strlen(str));
}

/* The end of the key in "key: value" / "key:", or NULL when @p text is not a mapping entry */
static const char *
json_key_end(const char *text)
{
	const char *c = text;

	if (text[0] == '[' || text[0] == '{') {
		return NULL; /* a flow collection, not a key */
	}
	if (text[0] == '"') {
		while (*++c && *c != '"') {
			c += *c == '\\' && c[1];
		}
		if (!*c) {
			return NULL;
		}
		++c;
		return *c == ':' && (c[1] == ' ' || !c[1]) ? c : NULL;
	}
	for (; *c; ++c) {
		if (*c == ':' && (c[1] == ' ' || !c[1])) {
			return c;
		}
		if (*c == '"' || *c == '\'' || *c == '#') {
			return NULL;
		}
	}
	return NULL;
}

static int
json_is_item(const char *text)
{
	return text[0] == '-' && (text[1] == ' ' || !text[1]);
}

static int
json_mapping(struct json_doc *doc, int indent)
{
	int first = 1;

	fputc('{', doc->out);
	while (doc->pos < doc->nlines) {
		struct json_line *line = &doc->lines[doc->pos];
		const char *end, *val;

		if (line->indent < indent) {
			break;
		}
		if (line->indent > indent || json_is_item(line->text)) {
			return -EINVAL;
		}
		end = json_key_end(line->text);
		if (!end) {
			return -EINVAL;
		}
		if (!first) {
			fputc(',', doc->out);
		}
		first = 0;
		if (line->text[0] == '"') {
			const char *stop;

			if (json_dquoted(doc->out, line->text + 1, &stop) || stop != end) {
				return -EINVAL;
			}
		} else {
			json_str(doc->out, line->text, (size_t)(end - line->text));
		}
		fputc(':', doc->out);
		val = end + 1;
		while (*val == ' ') {
			++val;
		}
		doc->pos++;
		if (*val) {
			if (json_value(doc->out, val)) {
				return -EINVAL;
			}
			continue;
		}
		/* "key:" holds what follows: deeper, or a sequence at the key's own indentation */
		if (doc->pos < doc->nlines && (doc->lines[doc->pos].indent > indent ||
					       (doc->lines[doc->pos].indent == indent &&
						json_is_item(doc->lines[doc->pos].text)))) {
			if (json_node(doc, doc->lines[doc->pos].indent)) {
				return -EINVAL;
			}
		} else {
			fputs("null", doc->out);
		}
	}
	fputc('}', doc->out);
	return 0;
}

static int
json_sequence(struct json_doc *doc, int indent)
{
	int first = 1;

	fputc('[', doc->out);
	while (doc->pos < doc->nlines) {
		struct json_line *line = &doc->lines[doc->pos];
		char *rest;

		if (line->indent < indent || !json_is_item(line->text)) {
			break;
		}
		if (line->indent > indent) {
			return -EINVAL;
		}
		if (!first) {
			fputc(',', doc->out);
		}
		first = 0;
		rest = line->text + 1;
		while (*rest == ' ') {
			++rest;
		}
		if (!*rest) {
			/* "-" alone: the item is the deeper block that follows */
			doc->pos++;
			if (doc->pos < doc->nlines && doc->lines[doc->pos].indent > indent) {
				if (json_node(doc, doc->lines[doc->pos].indent)) {
					return -EINVAL;
				}
			} else {
				fputs("null", doc->out);
			}
		} else if (json_key_end(rest) || json_is_item(rest)) {
			/* "- key: v": a block whose first line starts after the dash */
			line->indent += (int)(rest - line->text);
			line->text = rest;
			if (json_node(doc, line->indent)) {
				return -EINVAL;
			}
		} else {
			doc->pos++;
			if (json_value(doc->out, rest)) {
				return -EINVAL;
			}
		}
	}
	fputc(']', doc->out);
	return 0;
}

static int
json_node(struct json_doc *doc, int indent)
{
	if (json_is_item(doc->lines[doc->pos].text)) {
		return json_sequence(doc, indent);
	}
	return json_mapping(doc, indent);
}

int
cli_yaml_to_json(char *yaml, FILE *out)
{
	struct json_doc doc = {.out = out};
	size_t cap = 0;
	int err;

	for (char *line = strtok(yaml, "\n"); line; line = strtok(NULL, "\n")) {
		int indent = (int)strspn(line, " ");
		size_t len = strlen(line);

		while (len && line[len - 1] == ' ') {
			line[--len] = '\0';
		}
		if (line[indent] == '\t') {
			free(doc.lines); /* YAML indents with spaces only */
			return -EINVAL;
		}
		if (!line[indent] || !strcmp(line, "---")) {
			continue; /* blank lines; document starts: the output is one document */
		}
		if (line[indent] == '#') {
			continue;
		}
		if (doc.nlines == cap) {
			struct json_line *lines;

			cap = cap ? cap * 2 : 256;
			lines = realloc(doc.lines, cap * sizeof(*lines));
			if (!lines) {
				free(doc.lines);
				return -ENOMEM;
			}
			doc.lines = lines;
		}
		doc.lines[doc.nlines].indent = indent;
		doc.lines[doc.nlines].text = line + indent;
		doc.nlines++;
	}
	if (!doc.nlines) {
		fputs("{}\n", out);
		free(doc.lines);
		return 0;
	}
	err = json_node(&doc, doc.lines[0].indent);
	if (!err && doc.pos != doc.nlines) {
		err = -EINVAL;
	}
	fputc('\n', out);
	free(doc.lines);
	return err;
}
