"""Answers to queries: the worker pool behind a cache of whole answers, and the pool's failures as
protocol errors.

The served graph never changes while the server runs, so an answer depends only on its job (query
text, dataset, formats, base IRI, parameters, row cap): the cache is keyed by the job and nothing
invalidates it. It is bounded by bytes (least recently used answers go first); answers larger than an
eighth of it, and failures, are not kept."""

from __future__ import annotations

import sys

from ..query_pool import Job, NoFormat, PoolBusy, QueryFailed, QueryPool, QueryTimeout, Reply
from ..sparql_guard import ByteBoundedCache, Refused

__all__ = ["Answers", "NoFormat"]


class Answers:
    """``await answers.run(job)``: a Reply, from the cache or from a worker; raises Refused or NoFormat."""

    def __init__(self, pool: QueryPool, cache_bytes: int):
        self.pool = pool
        self.cache = ByteBoundedCache(cache_bytes) if cache_bytes > 0 else None
        self.hits = self.misses = 0

    async def run(self, job: Job) -> Reply:
        if self.cache is not None:
            found = self.cache.get(job)
            if found is not None:
                self.hits += 1
                return Reply(*found)
        self.misses += 1
        try:
            reply = await self.pool.run(job)
        except PoolBusy as exc:  # LongQueriesBusy too
            raise Refused(503, str(exc)) from None
        except QueryTimeout as exc:
            raise Refused(504, str(exc)) from None
        except QueryFailed as exc:
            raise Refused(exc.status, exc.reason) from None
        if self.cache is None:
            return reply
        if reply.body is not None:
            self._keep(job, reply, reply.body)
            return reply
        return _Kept(self, job, reply)

    def _keep(self, job: Job, reply: Reply, body: bytes) -> None:
        size = len(body) + sys.getsizeof(job.query) + 512
        self.cache.put(job, (reply.rows, reply.truncated, reply.form, reply.fmt, body), size)


class _Kept(Reply):
    """A streamed reply whose chunks are kept as they pass, for the cache once the body is whole."""

    def __init__(self, answers: Answers, job: Job, reply: Reply):
        super().__init__(reply.rows, reply.truncated, reply.form, reply.fmt)
        self._answers, self._job, self._reply = answers, job, reply
        self._limit = answers.cache.budget // 8

    async def chunks(self):
        parts, size = [], 0
        async for chunk in self._reply.chunks():
            if size <= self._limit:
                parts.append(chunk)
                size += len(chunk)
            yield chunk
        if size <= self._limit:
            self._answers._keep(self._job, self._reply, b"".join(parts))
