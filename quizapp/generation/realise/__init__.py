"""Turning a fact into a real question from the parse (Heilman & Smith's stage 2).

The answer phrase is replaced by a wh-phrase chosen from its type; when it is not the subject,
the auxiliary is inverted with the subject, the copula moved, or do-support added. The clause is
simplified first: appositives, non-restrictive relative clauses, participial and coordinated
clauses and discourse adverbs are dropped; fronted adverbials move to the end. Anything the
question cannot stand on alone (a pronoun, a demonstrative, a modal or negated statement, a
wh-phrase that disagrees with the answer type) makes the realiser give up, and the caller falls
back to a cloze item.
"""

from .clause import wh_question
from .definitions import definition_questions

__all__ = ["definition_questions", "wh_question"]
