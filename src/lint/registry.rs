//! Every rule, in the order they are documented and run.

use super::Rule;
use super::rules::*;

pub static RULES: &[&Rule] = &[
    &invalid_file::INVALID_FILE,
    &front_matter::FRONT_MATTER,
    &required_field::REQUIRED_FIELD,
    &field_type::FIELD_TYPE,
    &unknown_field::UNKNOWN_FIELD,
    &invalid_value::INVALID_VALUE,
    &id_format::ID_FORMAT,
    &duplicate_id::DUPLICATE_ID,
    &time_order::TIME_ORDER,
    &review_window::REVIEW_WINDOW,
    &required_section::REQUIRED_SECTION,
    &empty_section::EMPTY_SECTION,
    &duplicate_section::DUPLICATE_SECTION,
    &placeholder::PLACEHOLDER,
    &timeline_format::TIMELINE_FORMAT,
    &timeline_order::TIMELINE_ORDER,
    &action_owner::ACTION_OWNER,
    &action_due::ACTION_DUE,
    &action_kind::ACTION_KIND,
    &action_overdue::ACTION_OVERDUE,
    &action_sla::ACTION_SLA,
    &action_ticket_state::ACTION_TICKET_STATE,
    &action_format::ACTION_FORMAT,
    &duplicate_action_id::DUPLICATE_ACTION_ID,
    &broken_reference::BROKEN_REFERENCE,
    &broken_link::BROKEN_LINK,
    &blameful_language::BLAMEFUL_LANGUAGE,
];

/// The id of every rule, for the configuration to check `[lint.rules]`.
pub fn ids() -> Vec<&'static str> {
    RULES.iter().map(|r| r.id).collect()
}

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.id == id)
}
