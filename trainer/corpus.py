"""A small synthetic corpus for training the tiny preset's tokenizer.

Customer-service-like ChatML dialogues with tool calls, JSON and numbers. Deterministic given
the seed, so the tokenizer cache key (the corpus hash) is stable across machines.
"""

from __future__ import annotations

import json
import random

_NAMES = ["Ava", "Noah", "Mia", "Liam", "Zoe", "Omar", "Yuki", "Lena", "Ivan", "Sara"]
_ITEMS = ["laptop", "t-shirt", "water bottle", "backpack", "desk lamp", "keyboard", "jacket"]
_CITIES = ["Boston", "Denver", "Austin", "Seattle", "Chicago", "Miami", "Phoenix"]
_TOOLS = [
    "get_user_details",
    "get_order_details",
    "cancel_pending_order",
    "return_delivered_order_items",
    "book_reservation",
    "search_direct_flight",
    "transfer_to_human_agents",
    "calculate",
]
_ASKS = [
    "I want to cancel my order {order}.",
    "Can you tell me the status of order {order}?",
    "I'd like to return the {item} from order {order}.",
    "Please book a flight from {city} to {city2} on 2024-05-{day:02d}.",
    "What is {a} + {b}?",
    "My user id is {user}. I need help with a refund of ${price:.2f}.",
]
_REPLIES = [
    "Sure, I can help with that. Could you confirm your user id?",
    "Your order {order} has been cancelled. The refund of ${price:.2f} will arrive in 5-7 days.",
    "I found a direct flight from {city} to {city2} for ${price:.2f}. Shall I book it?",
    "The answer is {sum}.",
    "I'm sorry, I cannot do that. Is there anything else I can help with?",
    "Thank you, {name}! Your request is complete.",
]


def _fill(rng: random.Random, template: str) -> str:
    a, b = rng.randint(0, 999), rng.randint(0, 999)
    return template.format(
        order=f"#W{rng.randint(1000000, 9999999)}",
        item=rng.choice(_ITEMS),
        city=rng.choice(_CITIES),
        city2=rng.choice(_CITIES),
        day=rng.randint(1, 28),
        a=a,
        b=b,
        sum=a + b,
        user=f"{rng.choice(_NAMES).lower()}_{rng.randint(1000, 9999)}",
        price=rng.uniform(5, 2000),
        name=rng.choice(_NAMES),
    )


def _tool_call(rng: random.Random) -> str:
    name = rng.choice(_TOOLS)
    args = {
        "order_id": f"#W{rng.randint(1000000, 9999999)}",
        "reason": rng.choice(["no longer needed", "ordered by mistake"]),
        "count": rng.randint(1, 9),
    }
    return "<tool_call>\n" + json.dumps({"name": name, "arguments": args}) + "\n</tool_call>"


def _tool_result(rng: random.Random) -> str:
    record = {
        "order_id": f"#W{rng.randint(1000000, 9999999)}",
        "status": rng.choice(["pending", "delivered", "cancelled"]),
        "items": [{"name": rng.choice(_ITEMS), "price": round(rng.uniform(5, 500), 2)}],
        "address": {"city": rng.choice(_CITIES), "zip": f"{rng.randint(10000, 99999)}"},
    }
    return json.dumps(record, indent=rng.choice([None, 2]))


def dialogue(rng: random.Random) -> str:
    parts = ["<|im_start|>system\nYou are a helpful customer service agent.<|im_end|>"]
    for _ in range(rng.randint(1, 4)):
        parts.append(f"<|im_start|>user\n{_fill(rng, rng.choice(_ASKS))}<|im_end|>")
        if rng.random() < 0.6:
            parts.append(f"<|im_start|>assistant\n{_tool_call(rng)}<|im_end|>")
            parts.append(f"<|im_start|>tool\n{_tool_result(rng)}<|im_end|>")
        parts.append(f"<|im_start|>assistant\n{_fill(rng, rng.choice(_REPLIES))}<|im_end|>")
    return "\n".join(parts)


def build_corpus(n_dialogues: int = 1500, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return [dialogue(rng) for _ in range(n_dialogues)]
