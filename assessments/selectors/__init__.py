"""Reads that cross relations, one module per concern: the facts the engine reads, missions
with their assessments, and a module per analysis page (recommendations, compare,
missions_compare, timeline) with the labels they share.

Each read makes a fixed number of queries, whatever the number of functions, assessments or
missions (asserted in tests). The only thing computed on read is the what-if list (and, for a
French reader, the engine's texts in French), which the engine derives from the evaluation's own
facts snapshot and rulebook: pure CPU, no queries (engine_texts.py).
"""

from assessments.selectors.facts import assessment_facts_get, facts_dict_build
from assessments.selectors.missions import mission_detail_get, mission_list_with_latest

__all__ = [
    "assessment_facts_get",
    "facts_dict_build",
    "mission_detail_get",
    "mission_list_with_latest",
]
