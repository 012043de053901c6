// State bodies responsible for the most programme measures, and how often they lead.
MATCH (b:StateBody)-[r:RESPONSIBLE_FOR]->(m:Measure)
OPTIONAL MATCH (m)-[:PART_OF]->(p:Programme)
RETURN b.id AS body, b.name AS name, count(m) AS measures,
       sum(CASE WHEN r.lead THEN 1 ELSE 0 END) AS leads, collect(DISTINCT p.id) AS programmes
ORDER BY measures DESC, body;
