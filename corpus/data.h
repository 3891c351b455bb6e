/*
 * The generator's tables (corpus/data.c), private to corpus/.  The
 * counts are part of each declaration so that PICK() and ARRAY_SIZE()
 * work on them; data.c includes this header after its definitions, so
 * a count that does not match its table is a compile error.
 */
#ifndef CORPUS_DATA_H
#define CORPUS_DATA_H

#include "corpus/private.h"

/* People: the BPF maintainers (indexed by P_*), netdev's, the bot. */
extern const struct person corpus_maintainers[P_NREVIEW];
extern const struct person corpus_netdev_maint[4];
extern const struct person corpus_netdev_reviewers[6];
extern const struct subtree corpus_subtrees[4];
extern const struct person corpus_torvalds;
extern const struct person corpus_pr_tracker;
extern const struct person corpus_bot;
extern const struct person corpus_contributors[32];

/* Words. */
extern const char *const corpus_area_prefix[A_MAX];
extern const char *const corpus_area_files[A_MAX][6];
extern const struct topic corpus_topics[46];
extern const struct topic corpus_netdev_topics[24];
extern const char *const corpus_netdev_subjects[6];
extern const char *const corpus_netdev_lines[8];
extern const char *const corpus_feature_verbs[8];
extern const char *const corpus_fix_verbs[8];
extern const char *const corpus_refactor_phrases[7];
extern const char *const corpus_sentences[14];
extern const char *const corpus_old_commit_titles[10];
extern const char *const corpus_changelog_items[12];
extern const char *const corpus_review_comments[11];
extern const char *const corpus_author_answers[5];
extern const char *const corpus_cr_comments[5];
extern const char *const corpus_discussion_subjects[12];
extern const char *const corpus_discussion_lines[10];
extern const char *const corpus_tree_name[TREE_MAX];
/* The patchwork-bot's sign-off. */
extern const char corpus_bot_tail[];

/* Code: what the diffs are cut from, by enum code_kind. */
extern const struct code corpus_codes[C_MAX];

#endif
