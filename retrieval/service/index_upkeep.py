"""Keeping the segmented index in shape: merging, rebuilding, converting, cleaning up.

All of it follows one rule that makes several processes safe: a new segment is written
outside any transaction, then one short write transaction checks that what it was built from
is still live, registers it, retires its inputs and bumps the generation. If another process
merged the same inputs first, the commit finds them retired and the output is deleted
unregistered; nothing anyone else wrote is ever overwritten. A failure before the commit
leaves the registry, and so every answer, as it was.

Directories are removed only when nobody can need them: a retired segment after
`RETIRED_GRACE_S` (readers refresh within a question, and a reader that still has it mapped
keeps its mapping), and a directory the registry does not know only when older than
`ORPHAN_GRACE_S` (another process may be between writing its segment and registering it).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Collection, Sequence

import numpy as np

from retrieval.errors import StoreError
from retrieval.folding import keeps_script
from retrieval.legacy_index import from_blobs
from retrieval.records import Progress
from retrieval.segment_files import (
    SegmentArrays,
    SegmentInfo,
    arrays_of_index,
    build_arrays,
    remove_orphans,
    remove_segment,
)
from retrieval.segment_merge import merge_segments
from retrieval.segment_search import SegmentSet
from retrieval.segment_writer import write_segment
from retrieval.service.state import Shared
from retrieval.service.tokenizing import CHUNK_ARTICLES, PARALLEL_CHARS, encode_texts, map_chunks
from retrieval.store import IndexSnapshot

logger = logging.getLogger(__name__)
RETIRED_GRACE_S = 60.0
ORPHAN_GRACE_S = 3600.0
#: Merges one ingest may run after its commit (each is one step of the tiered policy).
MAX_MERGES = 4
#: Up to this many passages, the segments one ingest command wrote are merged into one at
#: its end (`IndexUpkeep.merge_written`); a few seconds of merging at this size.
MERGE_WRITTEN_DOCS = 500_000
#: Passages checked and marked per transaction by `IndexUpkeep.mark_simplified`.
_MARK_BATCH = 20_000


class IndexUpkeep:
    """Merges, rebuilds and housekeeping of one database's segments."""

    def __init__(self, shared: Shared) -> None:
        self._shared = shared
        self.store = shared.store

    # ------------------------------------------------------------------ committing

    async def _commit(
        self,
        inputs: Sequence[int],
        outputs: Sequence[SegmentInfo],
        applied_tombstones: Sequence[int],
        *,
        replace_legacy: bool = False,
    ) -> bool:
        """Register `outputs` in place of `inputs` if those are all still live.

        Returns False (and deletes the outputs) when another process changed them first.
        """
        live = self._shared.live
        try:
            async with self.store.transaction() as tx:
                if replace_legacy:
                    fresh = not await tx.segments.names()
                elif inputs:
                    fresh = await tx.segments.all_live(inputs)
                else:  # a rebuild of an empty index: nobody may have built one meanwhile
                    fresh = await tx.segments.live_count() == 0
                if fresh:
                    for info in outputs:
                        await tx.segments.register(info)
                    await tx.segments.retire(inputs)
                    await tx.segments.remove_tombstones(applied_tombstones)
                    if replace_legacy:
                        await tx.segments.drop_legacy_blobs()
                    await tx.segments.bump_generation()
        except BaseException:
            for info in outputs:
                remove_segment(live.root, info.name)
            raise
        if not fresh:
            for info in outputs:
                remove_segment(live.root, info.name)
            return False
        await live.refresh()
        return True

    # ------------------------------------------------------------------ merging

    async def merge_due(self) -> int:
        """Merge segments while the merge policy asks for it; returns the merges committed."""
        done = 0
        for _ in range(MAX_MERGES):
            snapshot = await self._shared.live.refresh()
            view = self._shared.live.view
            plan = self._shared.merge_policy.plan(view.sizes())
            if not plan:
                break
            if not await self._merge(view, snapshot, plan):
                break
            done += 1
        if done:
            await self.collect_garbage()
        return done

    async def merge_written(self, names: Collection[str], progress: Progress | None) -> bool:
        """Merge the segments one ingest command wrote into one, when it wrote several (still
        live: the tiered merges may have taken some) holding at most `MERGE_WRITTEN_DOCS`
        passages together.

        A large ingest writes a segment per batch, and the tiered policy leaves up to
        `MergePolicy.factor` - 1 of a tier as they are; every query then looks each term up
        in every segment, a fixed cost per segment that a one-time merge of a few seconds
        saves on every later question. Larger ingests are left to the tiered policy: merging
        millions of passages at the end would double their time.
        """
        snapshot = await self._shared.live.refresh()
        view = self._shared.live.view
        sizes = view.sizes()
        plan = [m.generation for m in view.members if m.segment.name in names]
        if len(plan) < 2 or sum(sizes[g][0] for g in plan) > MERGE_WRITTEN_DOCS:
            return False
        if progress:
            progress("merge", 0, 1)
        merged = await self._merge(view, snapshot, plan)
        if merged:
            await self.collect_garbage()
        if progress:
            progress("merge", 1, 1)
        return merged

    async def _merge(self, view: SegmentSet, snapshot: IndexSnapshot, plan: list[int]) -> bool:
        members = [m for m in view.members if m.generation in plan]
        segments = [m.segment for m in members]
        dead = np.asarray(snapshot.tombstones, np.int64)
        info = await asyncio.to_thread(merge_segments, self._shared.live.root, segments, dead)
        keys = np.concatenate([s.arrays.keys for s in segments])
        applied = dead[np.isin(dead, keys)].tolist()
        return await self._commit(plan, [info] if info else [], applied)

    async def mark_simplified(self) -> int:
        """Mark the stored passages whose script folding keeps (`folding.keeps_script`) and
        that are not marked yet: those stored before the mark existed. Returns how many.

        Committed a batch at a time (a mark only lets searches skip work, so a batch lost
        to an interruption is marked by the next reindex), checked off the event loop.
        """
        marked = 0
        texts: list[tuple[int, str]] = []

        async def mark() -> int:
            ids = await asyncio.to_thread(lambda: [p for p, t in texts if keeps_script(t)])
            if ids:
                async with self.store.transaction() as tx:
                    await tx.mark_simplified(ids)
            texts.clear()
            return len(ids)

        async for pid, text in self.store.articles.unmarked_passages():
            texts.append((pid, text))
            if len(texts) >= _MARK_BATCH:
                marked += await mark()
        return marked + await mark()

    # ------------------------------------------------------------------ rebuilding

    async def rebuild(self, *, retokenize: bool, progress: Progress | None) -> bool:
        """Replace every live segment by one rebuilt segment (plus one of missing passages).

        Without `retokenize` the stored postings are merged (tombstoned passages dropped) and
        only passages missing from the index are tokenized; with it every stored passage is
        tokenized again from its text. Returns whether passages were missing. Raises
        StoreError when another process merged the segments meanwhile (nothing changed).
        """
        live = self._shared.live
        snapshot = await self.store.segments.snapshot(passage_ids=True)
        view = await asyncio.to_thread(live.view_of, snapshot)
        stored = np.asarray(sorted(snapshot.passage_ids or ()), np.int64)
        dead = np.asarray(snapshot.tombstones, np.int64)
        indexed = view.keys
        if retokenize:
            missing, keep = stored, []
        else:
            missing = stored[~np.isin(stored, indexed)]
            keep = [m.segment for m in view.members]
            # Indexed but no longer stored (cannot happen through the service): drop too.
            dead = np.union1d(dead, indexed[~np.isin(indexed, stored)])
        outputs: list[SegmentInfo] = []
        try:
            if keep:
                if progress:
                    progress("merge", 0, 1)
                merged = await asyncio.to_thread(merge_segments, live.root, keep, dead)
                outputs.extend([merged] if merged else [])
                if progress:
                    progress("merge", 1, 1)
            added = await self._tokenized(set(missing.tolist()), progress)
            if added is not None:
                if progress:
                    progress("save", 0, 1)
                outputs.append(await asyncio.to_thread(write_segment, live.root, added))
                if progress:
                    progress("save", 1, 1)
        except BaseException:
            for info in outputs:
                remove_segment(live.root, info.name)
            raise
        if not await self._commit(view.generations, outputs, snapshot.tombstones):
            raise StoreError(
                "the index changed while it was being rebuilt (another process merged it); "
                "run reindex again"
            )
        return bool(len(missing)) and not retokenize

    async def _tokenized(self, ids: set[int], progress: Progress | None) -> SegmentArrays | None:
        """Segment arrays of the stored passages `ids`, tokenized from their text."""
        if not ids:
            return None
        docs = [(pid, text) async for pid, text in self.store.articles.all_passages() if pid in ids]
        if not docs:
            return None

        def build() -> SegmentArrays:
            step = CHUNK_ARTICLES * 3
            chunks = [[t for _, t in docs[i : i + step]] for i in range(0, len(docs), step)]
            encoded = map_chunks(
                encode_texts,
                chunks,
                parallel=sum(len(t) for _, t in docs) >= PARALLEL_CHARS,
                progress=progress,
                stage="reindex",
            )
            keys = np.fromiter((pid for pid, _ in docs), np.int64, len(docs))
            return build_arrays(keys, encoded)

        return await asyncio.to_thread(build)

    # ------------------------------------------------------------------ older databases

    async def convert_legacy(self) -> bool:
        """Bring an older version's index up to date: its whole-index blobs become the first
        segment, and its segments of an older format are rewritten in the current one.

        Each happens once (nothing is left to convert afterwards); a database this process
        may not write is left as it is (older segments load and answer all the same).
        Returns whether anything was converted.
        """
        if self.store.read_only:
            return False
        converted = await self._convert_blobs()
        return await self.upgrade_segments() > 0 or converted

    async def _convert_blobs(self) -> bool:
        """The blobs as the first segment; blobs of an older format are dropped (the passages
        missing from the index are then tokenized by the open-time check)."""
        if await self.store.segments.ever_registered():
            return False
        blobs = await self.store.segments.legacy_blobs()
        if not blobs:
            return False
        params = self._shared.live.view.params
        index = await asyncio.to_thread(from_blobs, blobs, params)
        outputs: list[SegmentInfo] = []
        if index is not None and len(index):
            arrays = arrays_of_index(index)
            outputs.append(await asyncio.to_thread(write_segment, self._shared.live.root, arrays))
        return await self._commit([], outputs, [], replace_legacy=True) and bool(outputs)

    async def upgrade_segments(self) -> int:
        """Rewrite each live segment of format 1, or written before the window bounds
        (`retrieval.segment_bounds`), in the current format; returns how many.

        A rewrite is a merge of the one segment (streamed from its files, tombstoned passages
        dropped), committed like any merge: a segment another process merged first is left
        to that merge.
        """
        done = 0
        while True:
            snapshot = await self._shared.live.refresh()
            view = self._shared.live.view
            old = [
                m.generation for m in view.members
                if m.segment.arrays.packed is None or m.segment.arrays.windows is None
            ]
            if old and not done:  # a one-time wait the user should be able to explain
                logger.warning(
                    "%s: rewriting %d index segment(s) in the current format, once "
                    "(a large database takes a few minutes)", self.store.path, len(old),
                )
            if not old or not await self._merge(view, snapshot, old[:1]):
                break
            done += 1
        if done:
            await self.collect_garbage()
        return done

    # ------------------------------------------------------------------ housekeeping

    async def collect_garbage(self) -> list[str]:
        """Remove retired segments after their grace period, and old unregistered directories.

        Never waits: when another process is writing, this is left for another time.
        """
        root = self._shared.live.root
        now = time.time()
        try:
            async with self.store.transaction(wait=False) as tx:
                retired = await tx.segments.retired_before(now - RETIRED_GRACE_S)
                for name in retired.values():
                    remove_segment(root, name)
                await tx.segments.forget(retired)
                known = await tx.segments.names()
                orphans = remove_orphans(root, known, older_than_s=ORPHAN_GRACE_S)
        except StoreError:
            return []
        return sorted(retired.values()) + orphans
