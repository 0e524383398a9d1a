//! The decision state machine: Bandwidth's rules over speech and tone evidence.

use crate::event::{
    Decision, Event, EventSink, MessageEnd, MessageEndBy, Outcome, Reason, ToneOnset,
};
use crate::plan::Limits;
use crate::tone::ToneEvents;
use crate::vad::VadEvents;

/// What one frame observed.
pub(crate) struct Observation {
    /// Stream position at the end of the frame.
    pub end: u64,
    pub tone: ToneEvents,
    /// A possible tone is being followed.
    pub tone_active: bool,
    pub vad: VadEvents,
    /// The ongoing speech burst: start and end of its last voiced frame.
    pub burst: Option<(u64, u64)>,
}

/// Speech evidence and the verdict.
pub(crate) struct Decider {
    first_speech: Option<u64>,
    completed_speech: u64,
    last_speech_end: Option<u64>,
    last_burst: u64,
    decision: Option<Decision>,
    /// `delay_result`: the machine verdict is reached but waits for the message to end.
    held_machine: bool,
    /// A machine or tone verdict waits for its message to end.
    awaiting_message_end: bool,
}

impl Decider {
    pub fn new() -> Self {
        Decider {
            first_speech: None,
            completed_speech: 0,
            last_speech_end: None,
            last_burst: 0,
            decision: None,
            held_machine: false,
            awaiting_message_end: false,
        }
    }

    pub fn reset(&mut self) {
        *self = Decider::new();
    }

    pub fn decision(&self) -> Option<&Decision> {
        self.decision.as_ref()
    }

    fn speech(&self, burst: Option<(u64, u64)>) -> u64 {
        self.completed_speech + burst.map_or(0, |(start, voiced)| voiced - start)
    }

    fn decide(
        &mut self,
        outcome: Outcome,
        reason: Reason,
        obs: &Observation,
        tone: Option<ToneOnset>,
        message_end: Option<MessageEnd>,
        sink: &mut impl EventSink,
    ) {
        let decision = Decision {
            outcome,
            at: obs.end,
            reason,
            first_speech: self.first_speech,
            speech: self.speech(obs.burst),
            last_speech_end: if obs.burst.is_some() {
                None
            } else {
                self.last_speech_end
            },
            tone,
            message_end,
        };
        self.decision = Some(decision);
        sink.event(Event::Decision(decision));
    }

    /// Silence needed after the last burst for a person: longer after a greeting-like one.
    fn human_silence(&self, limits: &Limits) -> u64 {
        if limits.long_utterance_end_threshold > 0 && self.last_burst >= limits.long_utterance {
            limits
                .speech_end_threshold
                .max(limits.long_utterance_end_threshold)
        } else {
            limits.speech_end_threshold
        }
    }

    pub fn update(
        &mut self,
        limits: &Limits,
        delay_result: bool,
        obs: &Observation,
        sink: &mut impl EventSink,
    ) {
        if let Some(start) = obs.vad.speech_start {
            self.first_speech.get_or_insert(start);
        }
        if let Some((start, end)) = obs.vad.speech_end {
            self.completed_speech += end - start;
            self.last_speech_end = Some(end);
            self.last_burst = end - start;
        }
        let now = obs.end;

        if self.decision.is_none() && !self.held_machine {
            if let Some((outcome, reason, tone)) = self.verdict(limits, obs) {
                let machine_like =
                    matches!(outcome, Outcome::AnsweringMachine | Outcome::ToneDetected);
                if outcome == Outcome::AnsweringMachine && delay_result {
                    self.held_machine = true;
                } else {
                    self.decide(outcome, reason, obs, tone, None, sink);
                }
                self.awaiting_message_end = machine_like;
            }
        }

        if self.awaiting_message_end {
            if let Some(by) = self.message_end_by(limits, obs) {
                let end = MessageEnd { at: now, by };
                self.release_held_machine(obs, Some(end), sink);
                self.awaiting_message_end = false;
                sink.event(Event::MessageEnd(end));
            }
        }

        if now >= limits.detection_timeout {
            self.release_held_machine(obs, None, sink);
        }
    }

    /// The first rule that fires on this frame, in Bandwidth's order of precedence.
    fn verdict(
        &self,
        limits: &Limits,
        obs: &Observation,
    ) -> Option<(Outcome, Reason, Option<ToneOnset>)> {
        let now = obs.end;
        let silence_since_speech = match (obs.burst, self.last_speech_end) {
            (None, Some(end)) => Some(now - end),
            _ => None,
        };
        if let Some(tone) = obs.tone.started {
            Some((Outcome::ToneDetected, Reason::Tone, Some(tone)))
        } else if self.speech(obs.burst) >= limits.speech_threshold {
            Some((Outcome::AnsweringMachine, Reason::LongGreeting, None))
        } else if !obs.tone_active
            && silence_since_speech.is_some_and(|s| s >= self.human_silence(limits))
        {
            Some((Outcome::Human, Reason::SilenceAfterGreeting, None))
        } else if self.first_speech.is_none() && now >= limits.silence_timeout {
            Some((Outcome::Silence, Reason::InitialSilence, None))
        } else if now >= limits.detection_timeout {
            Some((Outcome::Timeout, Reason::DetectionTimeout, None))
        } else {
            None
        }
    }

    /// What ends a machine's message on this frame: its beep, or enough silence after a
    /// machine's speech.
    fn message_end_by(&self, limits: &Limits, obs: &Observation) -> Option<MessageEndBy> {
        if let Some(beep) = obs.tone.ended {
            return Some(MessageEndBy::Beep(beep));
        }
        let machine = self.held_machine
            || self
                .decision
                .is_some_and(|d| d.outcome == Outcome::AnsweringMachine);
        match (machine, obs.burst, self.last_speech_end) {
            (true, None, Some(speech_end))
                if !obs.tone_active
                    && obs.end - speech_end >= limits.machine_speech_end_threshold =>
            {
                Some(MessageEndBy::Silence { speech_end })
            }
            _ => None,
        }
    }

    /// Emits a machine verdict held by `delay_result`, if there is one.
    fn release_held_machine(
        &mut self,
        obs: &Observation,
        message_end: Option<MessageEnd>,
        sink: &mut impl EventSink,
    ) {
        if self.held_machine {
            self.held_machine = false;
            self.decide(
                Outcome::AnsweringMachine,
                Reason::LongGreeting,
                obs,
                None,
                message_end,
                sink,
            );
        }
    }

    /// Makes sure the call has its decision once the stream has ended.
    pub fn finish(
        &mut self,
        limits: &Limits,
        delay_result: bool,
        obs: &Observation,
        sink: &mut impl EventSink,
    ) {
        self.update(limits, delay_result, obs, sink);
        self.release_held_machine(obs, None, sink);
        if self.decision.is_some() {
            return;
        }
        let outcome = if self.first_speech.is_none() {
            Outcome::Silence
        } else {
            Outcome::Timeout
        };
        self.decide(outcome, Reason::EndOfStream, obs, None, None, sink);
    }
}
