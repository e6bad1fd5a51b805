-- The chat turn's two statements on PostgreSQL (src/store/postgresTurns.ts), written by hand: Prisma's
-- schema does not hold functions. A turn opens with yiye_open_turn (its user's advisory lock, then the
-- conversation, what waits for them and whether the channel update was answered) and commits with
-- yiye_save_turn (everything the turn writes, then the lock released), each one round trip.
--
-- The turn lock is released inside the write, before that commits. So the write also holds a second
-- advisory lock, the user's commit fence, until it commits (a transaction-level lock, in the two-key
-- space); the next turn, once it has the turn lock, waits for the fence before it reads. Row locks
-- (FOR SHARE) would do the same but give the read a transaction id, and its commit a flush of the WAL. Their
-- tables are found through the caller's search_path (the pool sets it to the URL's schema): a SET
-- clause on the function would make PostgreSQL plan its statements again at every call.

CREATE FUNCTION yiye_open_turn(p_lock bigint, p_channel text, p_user text, p_now timestamp(3), p_update text, p_limit integer)
RETURNS TABLE (conversation jsonb, waiting jsonb, handled boolean)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  -- Held by this connection until the turn's write releases it; NULL when the turn holds it already.
  IF p_lock IS NOT NULL THEN
    PERFORM pg_advisory_lock(p_lock);
    PERFORM pg_advisory_xact_lock_shared((p_lock >> 32)::integer, (p_lock & 2147483647)::integer);
  END IF;
  -- A new snapshot, taken after the fence: what the turn before saved is committed.
  RETURN QUERY SELECT
    (SELECT to_jsonb(c) FROM "Conversation" c
      WHERE c."channel" = p_channel AND c."userId" = p_user
      ORDER BY c."updatedAt" DESC, c."id" DESC LIMIT 1),
    COALESCE((SELECT jsonb_agg(jsonb_build_object('id', o."id", 'text', o."text", 'recorded', o."recorded", 'image', o."image") ORDER BY o."id")
      FROM (SELECT "id", "text", "recorded", "image" FROM "OutboxMessage"
             WHERE "channel" = p_channel AND "userId" = p_user AND "status" = 'pending' AND "availableAt" <= p_now
             ORDER BY "id" LIMIT p_limit) o), '[]'::jsonb),
    EXISTS (SELECT 1 FROM "InboundUpdate" WHERE "key" = p_update AND "status" = 'done');
END $$;

-- p_now stamps the conversation and what the turn adds to it (the wall clock, as Prisma stamps them);
-- p_at the channel update's answer and the messages delivered (the domain's clock, which tests move).
-- SQLSTATE YY409: the conversation moved on past the version read, or a waiting message was taken
-- (the turn runs again); YY404: no such conversation. Either rolls the whole turn back, and the caller
-- releases the lock.
CREATE FUNCTION yiye_save_turn(p_lock bigint, p_id text, p_version integer, p_changes jsonb, p_messages jsonb,
  p_delivered integer[], p_update text, p_unanswered jsonb, p_tickets jsonb, p_now timestamp(3), p_at timestamp(3))
RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_count integer;
BEGIN
  IF p_lock IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock((p_lock >> 32)::integer, (p_lock & 2147483647)::integer);
  END IF;
  IF p_update IS NOT NULL THEN
    INSERT INTO "InboundUpdate" ("key", "status", "owner", "leaseUntil", "receivedAt") VALUES (p_update, 'done', 'turn', p_at, p_at);
  END IF;
  IF cardinality(p_delivered) > 0 THEN
    UPDATE "OutboxMessage" SET "status" = 'delivered', "sentAt" = p_at, "attempts" = "attempts" + 1
      WHERE "id" = ANY (p_delivered) AND "status" = 'pending';
    GET DIAGNOSTICS v_count = ROW_COUNT;
    IF v_count <> cardinality(p_delivered) THEN
      RAISE EXCEPTION 'a waiting message was taken' USING ERRCODE = 'YY409';
    END IF;
  END IF;
  UPDATE "Conversation" SET
    "state" = CASE WHEN p_changes ? 'state' THEN p_changes -> 'state' ELSE "state" END,
    "stage" = CASE WHEN p_changes ? 'stage' THEN p_changes ->> 'stage' ELSE "stage" END,
    "region" = CASE WHEN p_changes ? 'region' THEN p_changes ->> 'region' ELSE "region" END,
    "industry" = CASE WHEN p_changes ? 'industry' THEN p_changes ->> 'industry' ELSE "industry" END,
    "handoff" = CASE WHEN p_changes ? 'handoff' THEN (p_changes ->> 'handoff')::boolean ELSE "handoff" END,
    -- Handed back to the assistant, the chat is no longer any agent's.
    "claimedBy" = CASE WHEN (p_changes ->> 'handoff')::boolean IS FALSE THEN NULL ELSE "claimedBy" END,
    "claimedAt" = CASE WHEN (p_changes ->> 'handoff')::boolean IS FALSE THEN NULL ELSE "claimedAt" END,
    "version" = "version" + 1,
    "updatedAt" = p_now
  WHERE "id" = p_id AND (p_version IS NULL OR "version" = p_version);
  IF NOT FOUND THEN
    IF p_version IS NOT NULL AND EXISTS (SELECT 1 FROM "Conversation" WHERE "id" = p_id) THEN
      RAISE EXCEPTION 'the conversation moved on' USING ERRCODE = 'YY409';
    END IF;
    RAISE EXCEPTION 'no such conversation' USING ERRCODE = 'YY404';
  END IF;
  INSERT INTO "Message" ("conversationId", "direction", "text", "createdAt")
    SELECT p_id, m ->> 'direction', m ->> 'text', p_now FROM jsonb_array_elements(p_messages) WITH ORDINALITY AS x(m, n) ORDER BY n;
  INSERT INTO "UnansweredQuestion" ("conversationId", "channel", "region", "industry", "text", "createdAt")
    SELECT p_id, u ->> 'channel', u ->> 'region', u ->> 'industry', u ->> 'text', p_now FROM jsonb_array_elements(p_unanswered) u;
  INSERT INTO "Ticket" ("id", "number", "kind", "region", "channel", "userId", "conversationId", "text", "about", "contact", "status", "createdAt", "updatedAt")
    SELECT t ->> 'id', t ->> 'number', t ->> 'kind', t ->> 'region', t ->> 'channel', t ->> 'userId', p_id, t ->> 'text', t ->> 'about', t ->> 'contact', 'open',
      (t ->> 'createdAt')::timestamp(3), p_now
    FROM jsonb_array_elements(p_tickets) t;
  IF p_lock IS NOT NULL THEN
    PERFORM pg_advisory_unlock(p_lock);
  END IF;
END $$;
