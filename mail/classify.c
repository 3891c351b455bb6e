/* One classifier of messages (mail/classify.h). */
#include <stddef.h>

#include "mail/classify.h"
#include "mail/subject.h"
#include "mail/trailer.h"
#include "util/scan.h"

static int has_review_trailer(const struct mail_body *b)
{
	for (size_t i = 0; i < b->trailers.n; i++)
		if (mail_trailer_is_review(((const struct mail_trailer *)
					    b->trailers.items[i])->kind))
			return 1;
	return 0;
}

int mail_is_bot_address(const char *email)
{
	return email && str_starts_with_icase(email, "patchwork-bot");
}

unsigned mail_body_facts(const struct mail_body *b)
{
	unsigned facts = 0;

	if (has_review_trailer(b) || b->pwbot != MAIL_PWBOT_NONE)
		facts |= MAIL_FACT_REVIEW;
	if (b->notice)
		facts |= MAIL_FACT_NOTICE;
	return facts;
}

enum mail_what mail_classify(const char *from_email,
			     const struct mail_subject *s,
			     const struct mail_body *b)
{
	return mail_classify_facts(from_email, s, mail_body_facts(b));
}

enum mail_what mail_classify_facts(const char *from_email,
				   const struct mail_subject *s,
				   unsigned facts)
{
	if (mail_is_bot_address(from_email) && (facts & MAIL_FACT_NOTICE))
		return MAIL_WHAT_BOT_NOTICE;
	if (s->flags & (MAIL_SUBJECT_REPLY | MAIL_SUBJECT_FWD)) {
		if (facts & MAIL_FACT_REVIEW)
			return MAIL_WHAT_REVIEW;
		if (s->kind == MAIL_SUBJECT_PATCH || s->kind == MAIL_SUBJECT_PULL)
			return MAIL_WHAT_REPLY;
		return MAIL_WHAT_DISCUSSION;
	}
	switch (s->kind) {
	case MAIL_SUBJECT_PATCH:
		return s->total && !s->index ? MAIL_WHAT_COVER : MAIL_WHAT_PATCH;
	case MAIL_SUBJECT_PULL:
		return MAIL_WHAT_PULL;
	case MAIL_SUBJECT_ANN:
	case MAIL_SUBJECT_OTHER:
		break;
	}
	return MAIL_WHAT_DISCUSSION;
}

const char *mail_what_name(enum mail_what what)
{
	switch (what) {
	case MAIL_WHAT_DISCUSSION: return "discussion";
	case MAIL_WHAT_COVER: return "cover";
	case MAIL_WHAT_PATCH: return "patch";
	case MAIL_WHAT_REVIEW: return "review";
	case MAIL_WHAT_REPLY: return "reply";
	case MAIL_WHAT_BOT_NOTICE: return "bot-notice";
	case MAIL_WHAT_PULL: return "pull";
	}
	return "discussion";
}
