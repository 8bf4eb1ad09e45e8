//! A refund case as callers write it, read field by field with typed errors.

use chrono::NaiveDate;
use serde_json::Value;

use crate::document::DocumentNode;
use crate::domain::Category;
use crate::error::{Error, ErrorKind};
use crate::geo::Country;
use crate::money::Money;
use crate::request::{CUSTOMER_FIELDS, Fields, ORDER_FIELDS, Tree, index};
use crate::time::Timestamp;

/// The facts of one refund request.
///
/// Every amount is in the currency of `price`; amounts in another currency are a
/// `currency_mismatch` error, never converted.
///
/// # Example
///
/// ```
/// use aftersales::RefundCase;
/// use serde_json::json;
///
/// let case = RefundCase::from_value(&json!({
///     "now": "2026-11-20T10:00:00Z", "complaint": "size_fit", "destination_country": "de",
///     "order": {"placed_at": "2026-11-01T09:00:00Z", "delivered_at": "2026-11-04T15:00:00Z",
///               "total": {"amount": "64.90", "currency": "EUR"}, "shipping_paid": {"amount": "4.90", "currency": "EUR"}},
///     "item": {"sku": "SHOE-42", "price": {"amount": "60.00", "currency": "EUR"}, "tags": []}
/// }))?;
/// assert_eq!(case.destination_country.code(), "DE");
/// assert_eq!(case.line_total().to_string(), "60.00 EUR");
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct RefundCase {
    /// When the decision is made.
    pub now: Timestamp,
    /// What the customer claims (a category).
    pub complaint: Category,
    /// Where the order was delivered; its law and local dates apply.
    pub destination_country: Country,
    /// When the order was placed.
    pub placed_at: Timestamp,
    /// When it was delivered; `None` if it was not (or is not known to be).
    pub delivered_at: Option<Timestamp>,
    /// What the customer paid for the whole order, shipping included.
    pub order_total: Money,
    /// The outbound shipping part of `order_total`.
    pub shipping_paid: Option<Money>,
    /// The marketplace the order came through.
    pub marketplace: Option<String>,
    /// The item's SKU.
    pub sku: Option<String>,
    /// The unit price paid.
    pub price: Money,
    /// How many units the claim is about (1 by default).
    pub quantity: u32,
    /// `hygiene`, `personalized`, `perishable`, `final_sale`, `digital`, `battery`, `sealed`,
    /// `opened`, `used`, or the shop's own.
    pub tags: Vec<Box<str>>,
    /// A photo was provided.
    pub photo: bool,
    /// A video was provided.
    pub video: bool,
    /// What sending the item back would cost.
    pub return_shipping_cost: Option<Money>,
    /// Refunds the customer received in the last 365 days.
    pub refunds_last_365d: u32,
    /// Orders the customer has placed.
    pub orders_count: Option<u32>,
    /// The customer is flagged for abuse.
    pub abuse_flag: bool,
    /// The customer's tier.
    pub tier: Option<String>,
    /// The shipment's status (`delivered`, `in_transit`, `lost`, …).
    pub shipment_status: Option<String>,
    /// Public holidays of the destination, for counting windows (sorted).
    pub holidays: Vec<NaiveDate>,
}

const MAX_QUANTITY: i64 = 1_000_000;

impl RefundCase {
    /// The amount paid for the claimed units: `price × quantity`.
    ///
    /// # Example
    ///
    /// ```
    /// # use aftersales::RefundCase;
    /// # let mut case = RefundCase::from_value(&serde_json::json!({"now": "2026-11-20T10:00:00Z", "complaint": "damaged",
    /// #   "destination_country": "JP", "order": {"placed_at": "2026-11-01T00:00:00Z", "total": {"amount": "3000", "currency": "JPY"}},
    /// #   "item": {"price": {"amount": "1000", "currency": "JPY"}}}))?;
    /// case.quantity = 3;
    /// assert_eq!(case.line_total().to_string(), "3000 JPY");
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn line_total(&self) -> Money {
        Money::from_minor_units(self.price.minor_units().saturating_mul(self.quantity.into()), self.price.currency())
    }

    /// Reads a case document (SPEC §7): `now`, `complaint`, `destination_country`, `order`
    /// (`placed_at`, `delivered_at`, `total`, `shipping_paid`, `marketplace`), `item` (`sku`,
    /// `price`, `quantity`, `tags`), `evidence` (`photo`, `video`), `return_shipping_cost`,
    /// `customer` (`refunds_last_365d`, `orders_count`, `abuse_flag`, `tier`),
    /// `shipment_status`, `holidays`.
    ///
    /// # Errors
    ///
    /// `invalid_input` naming the field (a malformed instant, `order.delivered_at` before
    /// `order.placed_at` or after `now`, an unknown country, a line costing more than the
    /// order); `unknown_currency`; `currency_mismatch` for amounts in different currencies.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::{ErrorKind, RefundCase};
    /// use serde_json::json;
    ///
    /// let err = RefundCase::from_value(&json!({
    ///     "now": "2026-11-20T10:00:00Z", "complaint": "damaged", "destination_country": "FR",
    ///     "order": {"placed_at": "2026-11-01T09:00:00Z", "total": {"amount": "50", "currency": "EUR"}},
    ///     "item": {"price": {"amount": "50", "currency": "USD"}}
    /// })).unwrap_err();
    /// assert_eq!((err.kind(), err.field()), (ErrorKind::CurrencyMismatch, Some("order.total")));
    /// ```
    pub fn from_value(value: &Value) -> Result<RefundCase, Error> {
        RefundCase::from_tree(value)
    }

    /// Reads a case written into [`Documents`](crate::Documents) (what the bindings do, to
    /// skip building a `serde_json::Value`): the same fields, checks and errors as
    /// [`RefundCase::from_value`].
    ///
    /// # Errors
    ///
    /// As [`RefundCase::from_value`].
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::{Documents, RefundCase};
    /// use serde_json::json;
    ///
    /// let case = json!({
    ///     "now": "2026-11-20T10:00:00Z", "complaint": "damaged", "destination_country": "KW",
    ///     "order": {"placed_at": "2026-11-01T09:00:00Z", "total": {"amount": "12.500", "currency": "KWD"}},
    ///     "item": {"price": {"amount": "12.5", "currency": "KWD"}}
    /// });
    /// let mut docs = Documents::new();
    /// docs.value_of(&case);
    /// let n = docs.finish()?;
    /// assert_eq!(RefundCase::from_document(docs.get(n).unwrap())?, RefundCase::from_value(&case)?);
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn from_document(node: DocumentNode<'_>) -> Result<RefundCase, Error> {
        RefundCase::from_tree(node)
    }

    fn from_tree<'a, T: Tree<'a>>(value: T) -> Result<RefundCase, Error> {
        let f = Fields::new(
            value,
            "",
            &[
                "now",
                "complaint",
                "destination_country",
                "order",
                "item",
                "evidence",
                "return_shipping_cost",
                "customer",
                "shipment_status",
                "holidays",
                "id",
            ],
        )?;
        let complaint = f.required_str("complaint")?;
        let complaint = Category::from_base_name(complaint).unwrap_or_else(|| Category::Custom(complaint.into()));
        let destination_country = Country::parse_field(f.required_str("destination_country")?, "destination_country")?;
        RefundCase::read(&f, complaint, destination_country)
    }

    /// Reads the facts of a case from a document's fields (a case, or a triage ticket that
    /// carries them), with the complaint and the destination decided by the caller.
    pub(crate) fn read<'a, T: Tree<'a>>(
        f: &Fields<'a, '_, T>,
        complaint: Category,
        destination_country: Country,
    ) -> Result<RefundCase, Error> {
        let now = f.required_timestamp("now")?;
        let order = f.get("order").ok_or_else(|| Error::invalid_input(f.at("order"), "missing"))?;
        let o = f.nested("order", order, ORDER_FIELDS)?;
        let placed_at = o.required_timestamp("placed_at")?;
        let delivered_at = o.timestamp("delivered_at")?;
        let order_total = o.money("total")?.ok_or_else(|| Error::invalid_input(o.at("total"), "missing"))?;
        let shipping_paid = o.money("shipping_paid")?;
        let marketplace = o.str("marketplace")?.map(str::to_string);

        let item = f.get("item").ok_or_else(|| Error::invalid_input(f.at("item"), "missing"))?;
        let i = f.nested("item", item, &["sku", "price", "quantity", "tags", "name"])?;
        let price = i.money("price")?.ok_or_else(|| Error::invalid_input(i.at("price"), "missing"))?;
        let quantity = i.int("quantity", 1, MAX_QUANTITY)?.unwrap_or(1) as u32;
        let mut tags: Vec<Box<str>> = Vec::new();
        for (n, t) in i.array("tags")?.enumerate() {
            match t.as_str() {
                Some(s) if !s.is_empty() && s.len() <= 64 => tags.push(s.into()),
                _ => {
                    return Err(Error::invalid_input(
                        index(&i.at("tags"), n),
                        format!("a tag is a non-empty name of at most 64 bytes, got {}", t.kind().name()),
                    ));
                }
            }
        }

        let (mut photo, mut video) = (false, false);
        if let Some(e) = f.get("evidence") {
            let e = f.nested("evidence", e, &["photo", "video"])?;
            photo = e.bool("photo")?.unwrap_or(false);
            video = e.bool("video")?.unwrap_or(false);
        }
        let return_shipping_cost = f.money("return_shipping_cost")?;
        let (mut refunds_last_365d, mut orders_count, mut abuse_flag, mut tier) = (0, None, false, None);
        if let Some(c) = f.get("customer") {
            let c = f.nested("customer", c, CUSTOMER_FIELDS)?;
            refunds_last_365d = c.int("refunds_last_365d", 0, u32::MAX.into())?.unwrap_or(0) as u32;
            orders_count = c.int("orders_count", 0, u32::MAX.into())?.map(|n| n as u32);
            abuse_flag = c.bool("abuse_flag")?.unwrap_or(false);
            tier = c.str("tier")?.map(str::to_string);
        }
        let shipment_status = read_shipment_status(f)?;
        let holidays = read_dates(f, "holidays")?;

        let case = RefundCase {
            now,
            complaint,
            destination_country,
            placed_at,
            delivered_at,
            order_total,
            shipping_paid,
            marketplace,
            sku: i.str("sku")?.map(str::to_string),
            price,
            quantity,
            tags,
            photo,
            video,
            return_shipping_cost,
            refunds_last_365d,
            orders_count,
            abuse_flag,
            tier,
            shipment_status,
            holidays,
        };
        case.check()?;
        Ok(case)
    }

    /// Consistency between fields: one currency, instants in order, the line within the order.
    pub(crate) fn check(&self) -> Result<(), Error> {
        let currency = self.price.currency();
        for (field, m) in [
            ("order.total", Some(&self.order_total)),
            ("order.shipping_paid", self.shipping_paid.as_ref()),
            ("return_shipping_cost", self.return_shipping_cost.as_ref()),
        ] {
            if let Some(m) = m
                && m.currency() != currency
            {
                return Err(Error::make(
                    ErrorKind::CurrencyMismatch,
                    Some(field.to_string()),
                    format!("{m} is not in the item's currency {}", currency.code()),
                ));
            }
        }
        for (field, m) in [
            ("item.price", Some(&self.price)),
            ("order.total", Some(&self.order_total)),
            ("order.shipping_paid", self.shipping_paid.as_ref()),
            ("return_shipping_cost", self.return_shipping_cost.as_ref()),
        ] {
            if let Some(m) = m
                && m.minor_units() < 0
            {
                return Err(Error::invalid_input(field, format!("must not be negative, got {m}")));
            }
        }
        if self.placed_at > self.now {
            return Err(Error::invalid_input(
                "order.placed_at",
                format!("{} is after now {}", self.placed_at, self.now),
            ));
        }
        if let Some(d) = self.delivered_at {
            if d < self.placed_at {
                return Err(Error::invalid_input(
                    "order.delivered_at",
                    format!("{d} is before the order was placed ({})", self.placed_at),
                ));
            }
            if d > self.now {
                return Err(Error::invalid_input("order.delivered_at", format!("{d} is after now {}", self.now)));
            }
        }
        if self.line_total().minor_units() > self.order_total.minor_units() {
            return Err(Error::invalid_input(
                "item.price",
                format!("{} × {} is more than the order total {}", self.price, self.quantity, self.order_total),
            ));
        }
        if let Some(s) = &self.shipping_paid
            && s.minor_units() > self.order_total.minor_units()
        {
            return Err(Error::invalid_input("order.shipping_paid", format!("{s} is more than the order total")));
        }
        Ok(())
    }
}

/// A list of local dates `YYYY-MM-DD`, sorted, without repeats.
pub(crate) fn read_dates<'a, T: Tree<'a>>(f: &Fields<'a, '_, T>, key: &str) -> Result<Vec<NaiveDate>, Error> {
    let mut dates = Vec::new();
    for (n, h) in f.array(key)?.enumerate() {
        let date = h
            .as_str()
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            .ok_or_else(|| Error::invalid_input(index(&f.at(key), n), "a local date YYYY-MM-DD"))?;
        dates.push(date);
    }
    dates.sort_unstable();
    dates.dedup();
    Ok(dates)
}

/// `shipment_status`: one of the statuses the rules know.
pub(crate) fn read_shipment_status<'a, T: Tree<'a>>(f: &Fields<'a, '_, T>) -> Result<Option<String>, Error> {
    let Some(s) = f.str("shipment_status")? else { return Ok(None) };
    if !super::rules::SHIPMENT_STATUSES.contains(&s) {
        return Err(Error::invalid_input(
            f.at("shipment_status"),
            format!("unknown status {s:?}; known: {}", super::rules::SHIPMENT_STATUSES.join(", ")),
        ));
    }
    Ok(Some(s.to_string()))
}
