#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "tui/sync.h"

int tui_sync_init(struct tui_sync *s, struct err *err)
{
	memset(s, 0, sizeof(*s));
	sbuf_init(&s->partial);
	sbuf_init(&s->step);
	if (pipe(s->fds) < 0)
		return err_set(err, ERR_IO, "pipe: %s", strerror(errno));
	fcntl(s->fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(s->fds[1], F_SETFD, FD_CLOEXEC);
	fcntl(s->fds[0], F_SETFL, O_NONBLOCK);
	/* A full pipe drops a progress line, never blocks the flow. */
	fcntl(s->fds[1], F_SETFL, O_NONBLOCK);
	return 0;
}

/* One line to the loop: a kind byte ('!' an error), the text. */
static void send_line(struct tui_sync *s, char kind, const char *text)
{
	struct sbuf sb = SBUF_INIT;
	ssize_t r;

	sbuf_addch(&sb, kind);
	for (const char *p = text; *p; p++)
		sbuf_addch(&sb, *p == '\n' ? ' ' : *p);
	sbuf_addch(&sb, '\n');
	r = write(s->fds[1], sb.buf, sb.len);
	(void)r;
	sbuf_release(&sb);
}

static void say(enum front_say kind, const char *text, void *data)
{
	struct tui_sync *s = data;
	struct sbuf sb = SBUF_INIT;

	switch (kind) {
	case FRONT_SAY_STEP:
		sbuf_reset(&s->step);
		sbuf_addstr(&s->step, text);
		sbuf_addf(&sb, "sync: %s ...", text);
		break;
	case FRONT_SAY_PROGRESS:
		sbuf_addf(&sb, "sync: %s: %s", s->step.buf, text);
		break;
	default:
		sbuf_addf(&sb, "sync: %s", text);
		break;
	}
	send_line(s, kind == FRONT_SAY_ERROR ? '!' : ' ', sb.buf);
	sbuf_release(&sb);
}

static void *sync_main(void *arg)
{
	struct tui_sync *s = arg;
	struct front_sync_hooks h = { say, s, &s->stop };
	ssize_t r;

	s->ret = front_sync(&h, &s->result, &s->err);
	s->done = 1;
	/* Wakes the loop; when the pipe is full, it is readable anyway. */
	r = write(s->fds[1], "\n", 1);
	(void)r;
	return NULL;
}

int tui_sync_start(struct tui_sync *s)
{
	if (s->running)
		return 1;
	s->stop = 0;
	s->done = 0;
	s->ret = 0;
	err_clear(&s->err);
	memset(&s->result, 0, sizeof(s->result));
	if (pthread_create(&s->thread, NULL, sync_main, s)) {
		ssize_t r;

		s->ret = err_set(&s->err, ERR_IO, "cannot start a thread");
		s->done = 1;
		r = write(s->fds[1], "\n", 1);
		(void)r;
		return 0;
	}
	s->running = 1;
	return 0;
}

int tui_sync_read(struct tui_sync *s, struct sbuf *status, int *error)
{
	char buf[4096];
	ssize_t r;
	char *nl;

	sbuf_reset(status);
	*error = 0;
	while ((r = read(s->fds[0], buf, sizeof(buf))) > 0)
		sbuf_add(&s->partial, buf, (size_t)r);
	/* The newest whole line wins the status line. */
	while ((nl = memchr(s->partial.buf, '\n', s->partial.len))) {
		size_t n = (size_t)(nl - s->partial.buf);

		if (n > 1) {
			sbuf_reset(status);
			sbuf_add(status, s->partial.buf + 1, n - 1);
			*error = s->partial.buf[0] == '!';
		}
		memmove(s->partial.buf, nl + 1, s->partial.len - n - 1);
		sbuf_setlen(&s->partial, s->partial.len - n - 1);
	}
	if (!s->done)
		return 0;
	if (s->running)
		pthread_join(s->thread, NULL);
	s->running = 0;
	s->done = 0;
	sbuf_reset(&s->partial);
	return 1;
}

void tui_sync_release(struct tui_sync *s)
{
	if (s->running) {
		s->stop = 1;
		pthread_join(s->thread, NULL);
		s->running = 0;
	}
	close(s->fds[0]);
	close(s->fds[1]);
	sbuf_release(&s->partial);
	sbuf_release(&s->step);
}
