// The order form's arithmetic, the same as the server's (rumbo/orders/pricing.py and
// rumbo/catalog/promotions.py), in exact decimals (BigInt), so the total the rep shows the
// customer is the total the server computes. The server still computes everything again and
// refuses the order (price_changed) when its total differs by a céntimo or more.
(function () {
  "use strict";
  const TEN = 10n;

  // "12.5" → 125000n at 4 places; null for anything that is not a plain decimal.
  function scaled(text, places) {
    const value = String(text == null ? "" : text).trim().replace(",", ".");
    const match = /^(\d+)(?:\.(\d*))?$/.exec(value);
    if (!match) return null;
    const fraction = (match[2] || "");
    if (fraction.length > places) return null;
    return BigInt(match[1]) * TEN ** BigInt(places) + BigInt((fraction + "0".repeat(places)).slice(0, places) || "0");
  }

  // a / b rounded half up, for a ≥ 0 and b > 0.
  function roundDiv(a, b) { return (2n * a + b) / (2n * b); }

  function places(text) {
    const match = /\.(\d*)$/.exec(String(text).trim().replace(",", "."));
    return match ? match[1].replace(/0+$/, "").length : 0;
  }

  // Compounded discounts in millionths of a percent: 10 % then 5 % → 14.5 %.
  function compound(tier, rep) {  // both in hundredths of a percent
    return tier * 10000n + rep * 10000n - tier * rep;
  }

  function activeOn(promotion, day, channelId) {
    if (promotion.valid_from && promotion.valid_from > day) return false;
    if (promotion.valid_to && promotion.valid_to < day) return false;
    return promotion.channel_id == null || promotion.channel_id === channelId;
  }

  function ancestors(categoryId, parents) {
    const found = new Set();
    let current = categoryId;
    while (current != null && !found.has(current)) {
      found.add(current);
      current = parents.get(current);
    }
    return found;
  }

  function tierPct(promotion, quantity) {  // quantity in thousandths; result in hundredths
    let best = 0n;
    for (const tier of promotion.tiers) {
      if (quantity >= scaled(tier.min_quantity, 3)) best = scaled(tier.discount_pct, 2);
    }
    return best;
  }

  function freeUnits(promotion, quantity) {  // thousandths in and out
    if (!promotion.buy_quantity || !promotion.free_quantity) return 0n;
    const rounds = quantity / (BigInt(promotion.buy_quantity) * 1000n);
    return rounds * BigInt(promotion.free_quantity) * 1000n;
  }

  // The best promotion of each line: the highest tier discount and the most free units.
  function promotionsFor(items, catalogue, channelId, day) {
    const parents = new Map(catalogue.categories.map(function (c) { return [c.id, c.parent_id]; }));
    const active = catalogue.promotions.filter(function (p) { return activeOn(p, day, channelId); });
    const counted = new Map();
    const reached = items.map(function (item) {
      const cats = ancestors(item.product.category_id, parents);
      const hits = active.filter(function (p) {
        return p.product_id != null ? p.product_id === item.product.id : cats.has(p.category_id);
      });
      hits.forEach(function (p) { counted.set(p.id, (counted.get(p.id) || 0n) + item.quantity); });
      return hits;
    });
    return reached.map(function (hits, i) {
      const out = { pct: 0n, volume: null, free: 0n, giver: null };
      for (const p of hits) {
        if (p.kind === "volume") {
          const pct = tierPct(p, counted.get(p.id));
          if (pct > out.pct) { out.pct = pct; out.volume = p; }
        } else {
          const units = freeUnits(p, items[i].quantity);
          if (units > out.free) { out.free = units; out.giver = p; }
        }
      }
      return out;
    });
  }

  // The unit price without IGV (ten-thousandths) for the account: its own list, then its
  // channel's, then the base list, then the product's list price.
  function priceBook(account, priceLists, catalogue) {
    const rank = { account: 0, channel: 1, base: 2 };
    const best = new Map();
    for (const list of priceLists.lists) {
      const applies = (list.kind === "account" && list.account_id === account.id) ||
        (list.kind === "channel" && list.channel_id === account.channel_id) || list.kind === "base";
      if (!applies) continue;
      for (const pair of list.prices) {
        const current = best.get(pair[0]);
        if (!current || rank[list.kind] < current.rank) best.set(pair[0], { rank: rank[list.kind], price: pair[1] });
      }
    }
    return function (product) {
      const found = best.get(product.id);
      return scaled(found ? found.price : product.list_price, 4);
    };
  }

  // Price an order: lines are {product, quantity, discount_pct} with product objects of the
  // catalogue. Returns the lines (with free lines after their line) and the totals, in cents.
  function priceOrder(input) {
    const rate = scaled(input.catalogue.tax_rate, 4);
    const price = priceBook(input.account, input.priceLists, input.catalogue);
    const items = input.lines.map(function (line) {
      return { product: line.product, quantity: scaled(line.quantity, 3) || 0n, rep: scaled(line.discount_pct || "0", 2) || 0n };
    });
    const promos = promotionsFor(items, input.catalogue, input.account.channel_id, input.day);
    const out = { lines: [], net: 0n, tax: 0n, discount: 0n };
    items.forEach(function (item, i) {
      const unit = price(item.product);
      const gross = item.quantity * unit;  // ten-millionths
      const grossCents = roundDiv(gross, 100000n);
      const discount = roundDiv(gross * compound(promos[i].pct, item.rep), 10n ** 13n);
      const net = grossCents - discount;
      const tax = item.product.tax_exempt ? 0n : roundDiv(net * rate, 10000n);
      const line = { index: i, product: item.product, unit: unit, promoPct: promos[i].pct, promotion: promos[i].volume, discount: discount, net: net, tax: tax, free: null };
      if (promos[i].giver && promos[i].free > 0n) {
        const value = roundDiv(promos[i].free * unit, 100000n);
        line.free = { quantity: promos[i].free, promotion: promos[i].giver, value: value };
        out.discount += value;
      }
      out.lines.push(line);
      out.net += net; out.tax += tax; out.discount += discount;
    });
    out.total = out.net + out.tax;
    return out;
  }

  // Cents (BigInt) → "S/ 1.234,50" with the page's separators.
  function money(cents, format) {
    const negative = cents < 0n;
    const abs = negative ? -cents : cents;
    const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, format.thousands);
    const fraction = (abs % 100n).toString().padStart(2, "0");
    return (negative ? "−" : "") + format.currency + " " + whole + format.decimal + fraction;
  }

  // A scaled BigInt back to plain decimal text ("12.5", never an exponent).
  function text(value, placesCount) {
    const base = 10n ** BigInt(placesCount);
    const whole = value / base;
    let fraction = (value % base).toString().padStart(placesCount, "0").replace(/0+$/, "");
    return fraction ? whole + "." + fraction : String(whole);
  }

  function number(value, placesCount, format) {  // for people: "1.234,5"
    const [whole, fraction] = text(value, placesCount).split(".");
    const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, format.thousands);
    return fraction ? grouped + format.decimal + fraction : grouped;
  }

  window.RumboPricing = {
    scaled: scaled, places: places, priceOrder: priceOrder, money: money, text: text, number: number,
  };
})();
