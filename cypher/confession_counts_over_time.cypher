// Observations about confessions (e.g. registered associations) in date order.
MATCH (o:Observation)-[:ABOUT]->(c:Confession)
OPTIONAL MATCH (o)-[:IN]->(r:Region)
RETURN c.id AS confession, o.metric AS metric, o.date AS date, o.value AS value, r.id AS region
ORDER BY confession, metric, date;
