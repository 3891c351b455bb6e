/*
 * The tree diffs of vger respin: libgit2's diff and patch text, made to
 * match git format-patch where libgit2 differs (abbreviated ids, binary
 * patch compression, rename scores, the tree walk), and the diffstat
 * and summary around it.
 */
#include <dirent.h>
#include <git2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "series/respin_fmt.h"
#include "series/private.h"
#include "series/respin_private.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/vec.h"
#include "util/xmalloc.h"


/* ---- abbreviated object names, as git's find_unique_abbrev() ---- */

/* git's approximate object count: the objects of every pack index. */
static unsigned long pack_object_count(const char *gitdir)
{
	char *packdir = path_join(gitdir, "objects/pack");
	DIR *d = opendir(packdir);
	unsigned long count = 0;
	struct dirent *de;

	while (d && (de = readdir(d))) {
		unsigned char hdr[8 + 256 * 4];
		char *path;
		FILE *f;
		size_t got, off;

		if (!str_ends_with(de->d_name, ".idx"))
			continue;
		path = path_join(packdir, de->d_name);
		f = fopen(path, "rb");
		free(path);
		if (!f)
			continue;
		got = fread(hdr, 1, sizeof(hdr), f);
		fclose(f);
		/* v2 starts "\377tOc" and a version; v1 is the fan-out. */
		off = got >= 8 && !memcmp(hdr, "\377tOc", 4) ? 8 : 0;
		if (got < off + 256 * 4)
			continue;
		off += 255 * 4;
		count += (unsigned long)hdr[off] << 24 |
			 (unsigned long)hdr[off + 1] << 16 |
			 (unsigned long)hdr[off + 2] << 8 | hdr[off + 3];
	}
	if (d)
		closedir(d);
	free(packdir);
	return count;
}

static int default_abbrev(struct series_job *job)
{
	unsigned long count;
	int len = 0;

	if (job->abbrev > 0)
		return job->abbrev;
	count = pack_object_count(git_repository_commondir(job->repo));
	while (count >>= 1)
		len++;		/* git's msb() */
	len = (len + 1 + 1) / 2;
	job->abbrev = len < 7 ? 7 : len;
	return job->abbrev;
}

static void abbrev_hex(struct series_job *job, git_odb *odb, const char *hex,
		       struct sbuf *out)
{
	size_t len = (size_t)default_abbrev(job);
	git_oid id;

	if (strspn(hex, "0") >= GIT_OID_HEXSZ) {
		sbuf_add(out, hex, len);
		return;
	}
	for (; odb && len < GIT_OID_HEXSZ; len++) {
		if (git_oid_fromstrn(&id, hex, len) < 0 ||
		    git_odb_exists_prefix(NULL, odb, &id, len) !=
		    GIT_EAMBIGUOUS)
			break;
	}
	sbuf_add(out, hex, len);
}

/*
 * libgit2 prints full ids (id_abbrev 40); shorten "index A..B" the way
 * git does, except before a binary patch, where git keeps them full.
 */
static void fix_index_lines(struct series_job *job, git_odb *odb,
			    const char *text, struct sbuf *out)
{
	const char *p = text;

	while (*p) {
		size_t len = str_line_len(p);
		const char *next = p + len + (p[len] == '\n');
		const char *dots = len > 6 ? strstr(p, "..") : NULL;

		if (str_starts_with(p, "index ") && dots &&
		    dots - p == 6 + GIT_OID_HEXSZ &&
		    !str_starts_with(next, "GIT binary patch") &&
		    !str_starts_with(next, "Binary files ")) {
			char a[GIT_OID_HEXSZ + 1], b[GIT_OID_HEXSZ + 1];

			memcpy(a, p + 6, GIT_OID_HEXSZ);
			a[GIT_OID_HEXSZ] = '\0';
			memcpy(b, dots + 2, GIT_OID_HEXSZ);
			b[GIT_OID_HEXSZ] = '\0';
			sbuf_addstr(out, "index ");
			abbrev_hex(job, odb, a, out);
			sbuf_addstr(out, "..");
			abbrev_hex(job, odb, b, out);
			sbuf_add(out, dots + 2 + GIT_OID_HEXSZ,
				 (size_t)(next - (dots + 2 + GIT_OID_HEXSZ)));
		} else {
			sbuf_add(out, p, (size_t)(next - p));
		}
		p = next;
	}
}

/* ---- binary patches ---- */

/* git's deflate_it(): zlib at core.compression's default, best speed. */
static void deflate_fast(const void *data, size_t len, struct sbuf *out)
{
	uLongf n = compressBound((uLong)len);

	sbuf_reset(out);
	sbuf_grow(out, n);
	if (compress2((Bytef *)out->buf, &n, data, (uLong)len,
		      Z_BEST_SPEED) != Z_OK)
		BUG("compress2 failed");
	out->len = n;
}

/* One "literal N"/"delta N" section: base85 lines, inflated. */
static int read_section(const char **p, int *is_delta, size_t *size,
			struct sbuf *raw)
{
	struct sbuf z = SBUF_INIT;
	const char *s = *p;
	int ret = -1;
	long n;

	*is_delta = str_starts_with(s, "delta ");
	if (!*is_delta && !str_starts_with(s, "literal "))
		return -1;
	{
		struct sbuf num = SBUF_INIT;

		sbuf_add(&num, s + (*is_delta ? 6 : 8),
			 str_line_len(s) - (*is_delta ? 6 : 8));
		if (str_to_long(num.buf, &n) || n < 0) {
			sbuf_release(&num);
			return -1;
		}
		sbuf_release(&num);
	}
	*size = (size_t)n;
	s += str_line_len(s) + 1;
	while (*s && *s != '\n') {
		size_t len = str_line_len(s), bytes;
		char c = *s;

		bytes = c >= 'A' && c <= 'Z' ? (size_t)(c - 'A' + 1) :
			(size_t)(c - 'a' + 27);
		sbuf_grow(&z, bytes + 4);
		if (len < 2 || (len - 1) % 5 ||
		    respin_fmt_unbase85((unsigned char *)z.buf + z.len, s + 1,
					bytes))
			goto out;
		z.len += bytes;
		s += len + (s[len] == '\n');
	}
	if (*s == '\n')
		s++;
	{
		uLongf out = (uLongf)*size;

		sbuf_reset(raw);
		sbuf_grow(raw, *size + 1);
		if (uncompress((Bytef *)raw->buf, &out, (const Bytef *)z.buf,
			       (uLong)z.len) != Z_OK || out != *size)
			goto out;
		raw->len = out;
	}
	*p = s;
	ret = 0;
out:
	sbuf_release(&z);
	return ret;
}

static void write_section(struct sbuf *out, const char *kind, size_t size,
			  const struct sbuf *z)
{
	const unsigned char *d = (const unsigned char *)z->buf;
	size_t left = z->len;

	sbuf_addf(out, "%s %zu\n", kind, size);
	while (left) {
		size_t bytes = left < 52 ? left : 52;

		sbuf_addch(out, bytes <= 26 ? (int)('A' + bytes - 1) :
			   (int)('a' + bytes - 27));
		respin_fmt_base85(out, d, bytes);
		sbuf_addch(out, '\n');
		d += bytes;
		left -= bytes;
	}
	sbuf_addch(out, '\n');
}

static void blob_content(git_repository *repo, const git_oid *id,
			 struct sbuf *out)
{
	git_blob *b;

	sbuf_reset(out);
	if (git_oid_is_zero(id) || git_blob_lookup(&b, repo, id) < 0)
		return;
	sbuf_add(out, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
	git_blob_free(b);
}

/*
 * libgit2 deflates binary patches at zlib's default level, git at its
 * fastest: inflate each section and write it again as git's
 * emit_binary_diff_body() does, choosing delta or literal by git's
 * sizes.  NEEDSWORK: where libgit2 wrote a literal but git would find
 * a smaller delta, this keeps the literal (libgit2 has no public delta
 * encoder).
 */
static void fix_binary(struct series_job *job, const git_diff_delta *d,
		       const char *text, struct sbuf *out)
{
	const char *gbp = strstr(text, "\nGIT binary patch\n");
	struct sbuf raw = SBUF_INIT, target = SBUF_INIT, zd = SBUF_INIT;
	struct sbuf zl = SBUF_INIT, res = SBUF_INIT;
	const char *p;

	if (!gbp) {
		sbuf_addstr(out, text);
		return;
	}
	p = gbp + strlen("\nGIT binary patch\n");
	sbuf_add(&res, text, (size_t)(p - text));
	for (int sec = 0; sec < 2; sec++) {
		int is_delta;
		size_t size;

		if (read_section(&p, &is_delta, &size, &raw)) {
			sbuf_reset(out);
			sbuf_addstr(out, text);	/* keep libgit2's */
			goto done;
		}
		blob_content(job->repo, sec ? &d->old_file.id :
			     &d->new_file.id, &target);
		deflate_fast(target.buf, target.len, &zl);
		if (is_delta) {
			deflate_fast(raw.buf, raw.len, &zd);
			if (raw.len <= zl.len && zd.len < zl.len) {
				write_section(&res, "delta", raw.len, &zd);
				continue;
			}
		}
		write_section(&res, "literal", target.len, &zl);
	}
	sbuf_addstr(&res, p);
	sbuf_addstr(out, res.buf);
done:
	sbuf_release(&raw);
	sbuf_release(&target);
	sbuf_release(&zd);
	sbuf_release(&zl);
	sbuf_release(&res);
}

/* ---- rename similarity, as git's diffcore-delta.c ---- */

/*
 * libgit2's own similarity metric (hashsig) scores renames differently
 * from git (75% where git says 74%, 50% where git finds no rename), so
 * vger plugs git's into git_diff_find_similar(): the content cut into
 * spans at newlines or 64 bytes, each span hashed, and the score the
 * bytes of the destination found in the source over the larger size.
 */
#define SIM_HASHBASE 107927
#define SIM_MAX_SCORE 60000ULL
#define SIM_MIN_SCORE 30000ULL	/* git's default -M50% */

struct sim_span {
	unsigned hash;
	unsigned long cnt;
};

struct sim_sig {
	size_t size;
	size_t n;
	struct sim_span *spans;	/* sorted by hash, one per hash */
};

static int span_cmp(const void *a, const void *b)
{
	const struct sim_span *x = a, *y = b;

	return (x->hash > y->hash) - (x->hash < y->hash);
}

static void sim_add(struct sim_sig *s, size_t *alloc, unsigned hash,
		    unsigned long cnt)
{
	if (s->n == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 64;
		s->spans = xrealloc(s->spans, *alloc * sizeof(*s->spans));
	}
	s->spans[s->n].hash = hash;
	s->spans[s->n++].cnt = cnt;
}

static int sim_buffer_sig(void **out, const git_diff_file *file,
			  const char *data, size_t size, void *payload)
{
	const unsigned char *buf = (const unsigned char *)data;
	struct sim_sig *s = xcalloc(1, sizeof(*s));
	unsigned accum1 = 0, accum2 = 0;
	size_t alloc = 0, sz = size, j = 0;
	int is_text = !memchr(data, 0, size < 8000 ? size : 8000);
	unsigned long n = 0;

	(void)file;
	(void)payload;
	s->size = size;
	while (sz) {
		unsigned c = *buf++, old1 = accum1;

		sz--;
		if (is_text && c == '\r' && sz && *buf == '\n')
			continue;
		accum1 = (accum1 << 7) ^ (accum2 >> 25);
		accum2 = (accum2 << 7) ^ (old1 >> 25);
		accum1 += c;
		if (++n < 64 && c != '\n')
			continue;
		sim_add(s, &alloc, (accum1 + accum2 * 0x61) % SIM_HASHBASE, n);
		n = 0;
		accum1 = accum2 = 0;
	}
	if (n > 0)
		sim_add(s, &alloc, (accum1 + accum2 * 0x61) % SIM_HASHBASE, n);
	if (s->n)
		qsort(s->spans, s->n, sizeof(*s->spans), span_cmp);
	/* git's hash table adds the counts of equal hashes */
	for (size_t i = 0; i < s->n; i++) {
		if (j && s->spans[j - 1].hash == s->spans[i].hash)
			s->spans[j - 1].cnt += s->spans[i].cnt;
		else
			s->spans[j++] = s->spans[i];
	}
	s->n = j;
	*out = s;
	return 0;
}

static int sim_file_sig(void **out, const git_diff_file *file,
			const char *path, void *payload)
{
	struct sbuf sb = SBUF_INIT;
	int ret;

	if (sbuf_read_file(&sb, path, (size_t)1 << 30, NULL) < 0) {
		*out = NULL;
		sbuf_release(&sb);
		return 0;
	}
	ret = sim_buffer_sig(out, file, sb.buf, sb.len, payload);
	sbuf_release(&sb);
	return ret;
}

static void sim_free(void *sig, void *payload)
{
	struct sim_sig *s = sig;

	(void)payload;
	if (s)
		free(s->spans);
	free(s);
}

/* diffcore-rename.c estimate_similarity() as a percentage. */
static int sim_score(int *score, void *siga, void *sigb, void *payload)
{
	const struct sim_sig *a = siga, *b = sigb;
	unsigned long long max = a->size > b->size ? a->size : b->size;
	unsigned long long base = a->size < b->size ? a->size : b->size;
	unsigned long long copied = 0;
	size_t i = 0, j = 0;

	(void)payload;
	*score = 0;
	if (!max || max * (SIM_MAX_SCORE - SIM_MIN_SCORE) <
		    (max - base) * SIM_MAX_SCORE)
		return 0;
	while (i < a->n && j < b->n) {
		if (a->spans[i].hash < b->spans[j].hash) {
			i++;
		} else if (a->spans[i].hash > b->spans[j].hash) {
			j++;
		} else {
			copied += a->spans[i].cnt < b->spans[j].cnt ?
				  a->spans[i].cnt : b->spans[j].cnt;
			i++;
			j++;
		}
	}
	*score = (int)(copied * SIM_MAX_SCORE / max * 100 / SIM_MAX_SCORE);
	return 0;
}

static git_diff_similarity_metric git_metric = {
	sim_file_sig, sim_buffer_sig, sim_free, sim_score, NULL
};

/* ---- diffs ---- */

struct delta_ref {
	const git_diff_delta *d;
	size_t idx;
};

static int delta_cmp(const void *a, const void *b)
{
	const struct delta_ref *x = a, *y = b;
	int c = strcmp(x->d->new_file.path, y->d->new_file.path);

	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

static void summary_line(struct sbuf *sb, const git_diff_delta *d)
{
	unsigned om = d->old_file.mode, nm = d->new_file.mode;

	switch (d->status) {
	case GIT_DELTA_DELETED:
		sbuf_addf(sb, " delete mode %06o ", om);
		respin_fmt_quote_path(sb, d->old_file.path);
		sbuf_addch(sb, '\n');
		return;
	case GIT_DELTA_ADDED:
		sbuf_addf(sb, " create mode %06o ", nm);
		respin_fmt_quote_path(sb, d->new_file.path);
		sbuf_addch(sb, '\n');
		return;
	case GIT_DELTA_RENAMED:
	case GIT_DELTA_COPIED:
		sbuf_addf(sb, " %s ", d->status == GIT_DELTA_RENAMED ?
			  "rename" : "copy");
		respin_fmt_rename(sb, d->old_file.path, d->new_file.path);
		sbuf_addf(sb, " (%d%%)\n", d->similarity);
		if (om && nm && om != nm)
			sbuf_addf(sb, " mode change %06o => %06o\n", om, nm);
		return;
	default:
		if (om && nm && om != nm) {
			sbuf_addf(sb, " mode change %06o => %06o ", om, nm);
			respin_fmt_quote_path(sb, d->new_file.path);
			sbuf_addch(sb, '\n');
		}
	}
}

/*
 * The diff of tree a (NULL: empty) to tree b as format-patch prints it:
 * stat and summary into stat, the patch text into patch (either may be
 * NULL).  *nfiles gets the number of changed files.
 */
int respin_tree_diff(struct series_job *job, git_tree *a, git_tree *b,
		     struct sbuf *stat, struct sbuf *patch, size_t *nfiles,
		     struct vec *paths, struct err *err)
{
	git_diff_options o;
	git_diff_find_options fo;
	git_diff *diff = NULL;
	git_odb *odb = NULL;
	struct delta_ref *deltas = NULL;
	struct respin_stat_file *files = NULL;
	struct vec changed = VEC_INIT;
	size_t n = 0, i;
	int ret = 0;

	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	git_diff_find_options_init(&fo, GIT_DIFF_FIND_OPTIONS_VERSION);
	o.flags = GIT_DIFF_SHOW_BINARY | GIT_DIFF_INDENT_HEURISTIC;
	o.context_lines = 3;
	o.interhunk_lines = 0;
	o.id_abbrev = GIT_OID_HEXSZ;
	/*
	 * libgit2 walks both whole trees (80k entries in a kernel, 80 ms
	 * a diff); find the changed paths first, skipping equal subtrees
	 * as git's tree diff does, and diff only those.
	 */
	series_tree_changed_paths(job->repo, a, b, &changed);
	if (!changed.n) {
		*nfiles = 0;
		goto out;
	}
	o.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	o.pathspec.strings = (char **)changed.items;
	o.pathspec.count = changed.n;
	fo.flags = GIT_DIFF_FIND_RENAMES;
	fo.metric = &git_metric;
	if (git_diff_tree_to_tree(&diff, job->repo, a, b, &o) < 0 ||
	    git_diff_find_similar(diff, &fo) < 0) {
		ret = respin_git_err(err, "diff%s", NULL);
		goto out;
	}
	git_repository_odb(&odb, job->repo);
	n = git_diff_num_deltas(diff);
	deltas = xcalloc(n ? n : 1, sizeof(*deltas));
	files = xcalloc(n ? n : 1, sizeof(*files));
	for (i = 0; i < n; i++) {
		deltas[i].d = git_diff_get_delta(diff, i);
		deltas[i].idx = i;
	}
	/* git lists a rename where its new path sorts, as the tree walk. */
	qsort(deltas, n, sizeof(*deltas), delta_cmp);
	for (i = 0; i < n; i++) {
		size_t idx = deltas[i].idx;
		const git_diff_delta *d;
		git_patch *p = NULL;
		git_buf buf = GIT_BUF_INIT;
		size_t adds = 0, dels = 0;

		if (git_patch_from_diff(&p, diff, idx) < 0) {
			ret = respin_git_err(err, "diff%s", NULL);
			goto out;
		}
		d = git_patch_get_delta(p);
		git_patch_line_stats(NULL, &adds, &dels, p);
		files[i].name = d->new_file.path;
		/* paths are case-sensitive: not vec_push_str_unique() */
		if (paths && vec_find_str(paths, d->new_file.path) < 0)
			vec_push_str(paths, d->new_file.path);
		if (paths && vec_find_str(paths, d->old_file.path) < 0)
			vec_push_str(paths, d->old_file.path);
		if (d->status == GIT_DELTA_RENAMED ||
		    d->status == GIT_DELTA_COPIED)
			files[i].from_name = d->old_file.path;
		if (d->flags & GIT_DIFF_FLAG_BINARY) {
			files[i].is_binary = 1;
			files[i].added = (unsigned long)d->new_file.size;
			files[i].deleted = (unsigned long)d->old_file.size;
		} else {
			files[i].added = adds;
			files[i].deleted = dels;
		}
		if (patch && git_patch_to_buf(&buf, p) == 0) {
			struct sbuf bin = SBUF_INIT;

			fix_binary(job, d, buf.ptr, &bin);
			fix_index_lines(job, odb, bin.buf, patch);
			sbuf_release(&bin);
		}
		git_buf_dispose(&buf);
		git_patch_free(p);
	}
	if (stat) {
		respin_fmt_stat(stat, files, n, RESPIN_STAT_WIDTH);
		for (i = 0; i < n; i++)
			summary_line(stat, deltas[i].d);
	}
	*nfiles = n;
out:
	for (i = 0; files && i < n; i++)
		free(files[i].print_name);
	free(files);
	free(deltas);
	vec_release_str(&changed);
	git_odb_free(odb);
	git_diff_free(diff);
	return ret;
}
