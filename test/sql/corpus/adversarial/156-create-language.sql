-- class: untrusted-code
-- Registers plperlu under a trusted-sounding name through CREATE LANGUAGE with its handler.
CREATE EXTENSION IF NOT EXISTS plperl;
CREATE TRUSTED LANGUAGE plperl_ext HANDLER plperlu_call_handler INLINE plperlu_inline_handler VALIDATOR plperlu_validator;
