//! Match keys: how an imported or created customer, site or asset is recognised as one HQ
//! already has, so re-imports update instead of duplicating. Documented in `docs/IMPORT.md`.

use onsite_protocol::api::{AssetInput, CustomerInput};
use onsite_protocol::{CustomerId, SiteId};

/// Lower case, whitespace collapsed, punctuation other than letters and digits dropped.
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// A customer is the same customer when the folded name matches and so does the phone (digits
/// only) or, without a phone, the email (lower case).
pub fn customer(c: &CustomerInput) -> String {
    let contact = match (&c.phone, &c.email) {
        (Some(phone), _) if phone.chars().any(|d| d.is_ascii_digit()) => {
            format!(
                "tel:{}",
                phone
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect::<String>()
            )
        }
        (_, Some(email)) if !email.trim().is_empty() => {
            format!("mail:{}", email.trim().to_lowercase())
        }
        _ => String::new(),
    };
    format!("{}|{contact}", fold(&c.name))
}

/// A site is the same site when it belongs to the same customer at the same folded address.
pub fn site(customer: CustomerId, address: &str) -> String {
    format!("{customer}|{}", fold(address))
}

/// An asset with a serial is identified by folded model and serial (serials are unique per
/// model); without a serial, by its site and model.
pub fn asset(site: SiteId, a: &AssetInput) -> String {
    match a.serial.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(serial) => {
            let serial: String = serial
                .chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_uppercase)
                .collect();
            format!("serial:{}|{serial}", fold(&a.model))
        }
        None => format!("site:{site}|{}", fold(&a.model)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cust(name: &str, phone: Option<&str>, email: Option<&str>) -> CustomerInput {
        CustomerInput {
            name: name.into(),
            phone: phone.map(Into::into),
            email: email.map(Into::into),
        }
    }

    #[test]
    fn customers_match_despite_formatting() {
        assert_eq!(
            customer(&cust("Ada  Lovelace", Some("+44 20 7946-0018"), None)),
            customer(&cust(
                "ada lovelace",
                Some("+44 (20) 79460018"),
                Some("x@y.z")
            ))
        );
        assert_ne!(
            customer(&cust("Ada Lovelace", Some("1"), None)),
            customer(&cust("Ada Lovelace", Some("2"), None))
        );
        assert_eq!(
            customer(&cust("Bob", None, Some(" Bob@Example.org "))),
            customer(&cust("BOB", None, Some("bob@example.org")))
        );
    }

    #[test]
    fn sites_fold_addresses() {
        let c = CustomerId::new();
        assert_eq!(site(c, "12, High Street"), site(c, "12 high   street"));
        assert_ne!(
            site(c, "12 High Street"),
            site(CustomerId::new(), "12 High Street")
        );
    }

    #[test]
    fn assets_by_serial_or_site() {
        let s = SiteId::new();
        let with = |serial: Option<&str>| AssetInput {
            model: "HeatMax 300".into(),
            serial: serial.map(Into::into),
            purchased_on: None,
            installed_on: None,
            warranty_until: None,
        };
        assert_eq!(
            asset(s, &with(Some("hm3 0042"))),
            asset(SiteId::new(), &with(Some("HM30042")))
        );
        assert_eq!(asset(s, &with(None)), asset(s, &with(Some("  "))));
        assert_ne!(asset(s, &with(None)), asset(SiteId::new(), &with(None)));
    }
}
