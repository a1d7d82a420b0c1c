//! One module per rule. Each declares its id, its default level and its
//! documentation (the doc comment, rendered into the book and by
//! `pmbook rules ID`).

pub mod action_due;
pub mod action_format;
pub mod action_kind;
pub mod action_overdue;
pub mod action_owner;
pub mod action_sla;
pub mod action_ticket_state;
pub mod blameful_language;
pub mod broken_link;
pub mod broken_reference;
pub mod duplicate_action_id;
pub mod duplicate_id;
pub mod duplicate_section;
pub mod empty_section;
pub mod field_type;
pub mod front_matter;
pub mod id_format;
pub mod invalid_file;
pub mod invalid_value;
pub mod placeholder;
pub mod required_field;
pub mod required_section;
pub mod review_window;
pub mod time_order;
pub mod timeline_format;
pub mod timeline_order;
pub mod unknown_field;
