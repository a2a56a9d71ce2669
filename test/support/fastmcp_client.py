"""Runs tool calls through a TARL sandbox server with the Python `fastmcp` client (what verl uses).

Usage: fastmcp_client.py URL [TOKEN] < job.json
job.json: {"steps": [{"name": ..., "kwargs": {...}}], "agent_messages": [...]}
Prints one JSON object: {"tools": [names], "observations": [...], "verify": {...}}.
"""

import asyncio
import json
import sys

from fastmcp import Client


async def main() -> None:
    url = sys.argv[1]
    token = sys.argv[2] if len(sys.argv) > 2 else None
    job = json.load(sys.stdin)
    async with Client(url, auth=token, timeout=30) as client:
        tools = [t.name for t in await client.list_tools()]
        observations = []
        for step in job["steps"]:
            # raise_on_error=False: tool errors are observations, never exceptions.
            result = await client.call_tool(step["name"], step["kwargs"], raise_on_error=False)
            observations.append("".join(c.text for c in result.content if c.type == "text"))
        verdict = await client.call_tool("tarl_verify", {"agent_messages": job["agent_messages"]})
        verify = json.loads("".join(c.text for c in verdict.content if c.type == "text"))
    json.dump({"tools": tools, "observations": observations, "verify": verify}, sys.stdout)


asyncio.run(main())
