"""The AI drafter: the same ``Drafter`` interface as the offline summarizer, which it falls
back to whenever the model cannot give a usable answer.

Transport failures (429, 5xx, timeouts, refused connections) are retried by the openai SDK
itself (``max_retries``, honouring Retry-After); an answer that is not the JSON asked for, or
was cut short, is asked for once more. After that the offline summarizer drafts and the draft
carries an ``ai_unavailable`` flag: never a crash, never an empty draft.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
from dataclasses import replace
from typing import Any

import openai
from openai import OpenAI

from app.ai.config import OUTPUT_MODES, AiConfig, AiUnavailable
from app.ai.output import SEVERITIES, DraftOutput, InvalidOutput, parse_output, response_format
from app.ai.prompt import PROMPT_VERSION, Prompt, build_prompt, with_schema
from app.pipeline import checks
from app.pipeline.drafting import DraftRequest, DraftResult, OfflineSummarizer, with_opt_out_wording
from app.pipeline.flag_rules import Finding, find_review_edge, merge_findings, quote_span, rule_severity
from db.vocab import FlagCode, FlagSource, ItemKind, Severity

log = logging.getLogger(__name__)
_SPACE = re.compile(r"\s+")
AI_DRAFTER = "ai"


def make_client(config: AiConfig) -> OpenAI:
    return OpenAI(
        api_key=config.api_key or "not-needed",  # local servers accept any key
        base_url=config.base_url or None,
        timeout=config.timeout_s,
        max_retries=config.max_retries,
    )


class AiDrafter:
    name = AI_DRAFTER

    def __init__(
        self, config: AiConfig, client: OpenAI | None = None, fallback: OfflineSummarizer | None = None
    ) -> None:
        self.config = config
        self.client = client or make_client(config)
        self.fallback = fallback or OfflineSummarizer()
        # "auto" starts with structured output and steps down when the server refuses it.
        self._mode = config.structured if config.structured != "auto" else OUTPUT_MODES[0]
        self._lock = threading.Lock()

    def draft(self, request: DraftRequest) -> DraftResult:
        """The AI draft, or the offline one flagged ``ai_unavailable``."""
        try:
            return self.draft_with_ai(request)
        except AiUnavailable as exc:
            return unavailable(self.fallback.draft(request), exc.reason)

    def draft_with_ai(self, request: DraftRequest) -> DraftResult:
        """The AI draft; raises ``AiUnavailable`` instead of falling back."""
        started = time.perf_counter()
        tokens_in = tokens_out = 0
        problem = ""
        prompt = build_prompt(request, redact_pii=self.config.redact_pii)
        for _ in range(2):  # an unusable answer is asked for once more
            response = self._complete(prompt)
            usage = response.usage
            tokens_in += usage.prompt_tokens if usage else 0
            tokens_out += usage.completion_tokens if usage else 0
            choice = response.choices[0] if response.choices else None
            if choice is None:
                problem = "the answer had no choices"
                continue
            if choice.finish_reason == "length":
                problem = "the answer was cut short"
                continue
            try:
                output = parse_output(choice.message.content)
            except InvalidOutput as exc:
                problem = str(exc)
                continue
            latency = int((time.perf_counter() - started) * 1000)
            return self._result(request, prompt, output, latency, tokens_in, tokens_out)
        raise AiUnavailable(f"the model's answer was unusable twice: {problem}")

    def _complete(self, prompt: Prompt) -> Any:
        while True:
            mode = self._mode
            try:
                return self.client.chat.completions.create(
                    model=self.config.model,
                    messages=(prompt if mode == "json_schema" else with_schema(prompt)).messages,  # type: ignore[arg-type]
                    temperature=self.config.temperature,
                    **response_format(mode),
                )
            except openai.BadRequestError:
                if self.config.structured != "auto" or mode == OUTPUT_MODES[-1]:
                    raise AiUnavailable("the AI server refused the request (400)") from None
                with self._lock:  # the server does not take this mode: the next one, from now on
                    if self._mode == mode:
                        self._mode = OUTPUT_MODES[OUTPUT_MODES.index(mode) + 1]
                log.info("the AI server refused %s output; trying %s", mode, self._mode)
            except openai.APITimeoutError:
                raise AiUnavailable(f"the AI server did not answer within {self.config.timeout_s:g} s") from None
            except openai.RateLimitError:
                raise AiUnavailable("the AI server is rate limiting (429), even after waiting") from None
            except openai.AuthenticationError:
                raise AiUnavailable("the AI server refused the API key (401)") from None
            except openai.APIStatusError as exc:
                raise AiUnavailable(f"the AI server failed ({exc.status_code})") from None
            except openai.APIConnectionError:
                raise AiUnavailable("the AI server cannot be reached") from None

    def _result(
        self,
        request: DraftRequest,
        prompt: Prompt,
        output: DraftOutput,
        latency_ms: int,
        tokens_in: int,
        tokens_out: int,
    ) -> DraftResult:
        offered = {s.id for s in request.snippets}
        return DraftResult(
            drafter=AI_DRAFTER,
            internal_summary=output.internal_summary.strip(),
            client_text=with_opt_out_wording(output.client_note.strip(), request.template)
            if request.kind == ItemKind.MESSAGE
            else output.client_note.strip(),
            next_action=output.next_action.strip()[:255],
            confidence=output.confidence,
            input_hash=input_hash(self.config.model, prompt),
            findings=tuple(
                grounded_flags(output, prompt.source, figures_are_proof=request.kind == ItemKind.REPORT_NOTE)
            ),
            model=self.config.model[:120],
            prompt_version=PROMPT_VERSION,
            latency_ms=latency_ms,
            tokens_in=tokens_in,
            tokens_out=tokens_out,
            template_id=request.template.id if request.template else None,
            snippet_ids=tuple(i for i in dict.fromkeys(output.used_snippets) if i in offered),
        )


def grounded_flags(output: DraftOutput, source: str, *, figures_are_proof: bool = False) -> list[Finding]:
    """The review edge of the source as the rules find it, and the model's flags whose
    evidence really is in the source, as one list: the model's quote becomes the source's
    own words (spanned as the rules span theirs), its severity is at least the rules' for
    that code, and a flag the rules also raised on those words is one flag. A quote the
    source does not contain becomes one ``unsupported_evidence`` flag instead.

    The spans are into the prompt's source, which is not kept: the findings leave with
    their evidence only, to be located in the draft like any drafter's findings."""
    findings = find_review_edge(source, "source", figures_are_proof=figures_are_proof)
    for flag in output.risk_flags:
        span = quote_span(source, flag.evidence)
        if span is None:
            findings.append(
                Finding(
                    FlagCode.UNSUPPORTED_EVIDENCE,
                    Severity.MEDIUM,
                    f"the AI flagged {flag.code.replace('_', ' ')} with a quote the source does not contain; "
                    "that flag was dropped",
                    _SPACE.sub(" ", flag.evidence).strip()[:200],
                    None,
                    None,
                    FlagSource.AI,
                )
            )
            continue
        code = flag.flag_code
        findings.append(
            Finding(
                code,
                max(SEVERITIES[flag.severity], rule_severity(code)),
                flag.reason.strip()[:255] or code,
                source[span[0] : span[1]][:1000],
                "source",
                span,
                FlagSource.AI,
            )
        )
    return [replace(f, field=None, span=None) for f in merge_findings(findings)]


def unavailable(result: DraftResult, reason: str) -> DraftResult:
    """The offline draft, carrying why the AI could not draft it."""
    return replace(result, findings=(*result.findings, *checks.ai_unavailable(reason)))


def input_hash(model: str, prompt: Prompt) -> str:
    basis = json.dumps([PROMPT_VERSION, model, prompt.messages], sort_keys=True)
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()
