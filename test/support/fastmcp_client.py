"""Runs tool calls through a TARL sandbox server with the Python `fastmcp` client (what verl uses).

Usage: fastmcp_client.py TOKEN < job.json
job.json: {"runs": [{"url": ".../mcp?split=test&task=0&verify=1", "steps": [{"name", "kwargs"}], "agent_messages": [...]}]}
Prints one JSON list, one object per run: {"tools": [names], "observations": [...], "verify": {...}}.
One process runs every job: importing fastmcp takes seconds.
"""

import asyncio
import json
import sys

from fastmcp import Client


def text_of(result) -> str:
    return "".join(c.text for c in result.content if c.type == "text")


async def run(token: str, job: dict) -> dict:
    async with Client(job["url"], auth=token, timeout=30) as client:
        tools = [t.name for t in await client.list_tools()]
        observations = []
        for step in job["steps"]:
            # raise_on_error=False: tool errors are observations, never exceptions.
            result = await client.call_tool(step["name"], step["kwargs"], raise_on_error=False)
            observations.append(text_of(result))
        verdict = await client.call_tool("tarl_verify", {"agent_messages": job["agent_messages"]})
        return {"tools": tools, "observations": observations, "verify": json.loads(text_of(verdict))}


async def main() -> None:
    token = sys.argv[1]
    jobs = json.load(sys.stdin)["runs"]
    json.dump([await run(token, job) for job in jobs], sys.stdout)


asyncio.run(main())
