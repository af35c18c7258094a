# language: fr
Fonctionnalité: Listes CMR du service pour les autorités de contrôle
  L'inspection du travail et les autres autorités de contrôle demandent au service la liste des
  travailleurs exposés à des agents cancérogènes, mutagènes ou toxiques pour la reproduction
  (décret n° 2024-307 du 4 avril 2024) : celle d'un adhérent ou celle de tout le service, telle
  qu'elle était à une date passée, et selon ce que le service savait à un instant donné. Elles
  trouvent un adhérent par son nom, son SIRET ou sa commune. Les travailleurs et le CSE reçoivent
  la liste anonyme (article R4412-93-2 du Code du travail). Chaque lecture est inscrite au
  journal des accès.

  Contexte:
    Soit le service a enregistré l'adhérent « 00021 », raison sociale « Garage des Ducs », et lui a envoyé par courrier le n° télédéclarant « 48151623 »
    Et le service a enregistré l'adhérent « 00022 », raison sociale « Menuiserie Picq », et lui a envoyé par courrier le n° télédéclarant « 48151624 »
    Et le service a enregistré ces expositions aux agents CMR :
      | adhérent        | salarié     | poste       | agent                         | n° CAS  | du         | au         |
      | Garage des Ducs | Lisa LERGY  | Mécanicienne | Benzène                      | 71-43-2 | 01/02/2024 |            |
      | Garage des Ducs | Noé MARTIN  | Carrossier  | Benzène                       | 71-43-2 | 01/09/2024 |            |
      | Menuiserie Picq | Sam PICQ    | Menuisier   | Poussières de bois inhalables |         | 01/03/2024 | 30/06/2024 |
    Et Inès BERNARD, inspectrice du travail, a un compte d'autorité de contrôle « ines.bernard@dreets.gouv.fr »

  Scénario: Un régulateur obtient la liste CMR de tout le service à une date passée
    Quand Inès télécharge la liste CMR de tout le service au 15/06/2024
    Alors la liste reçue est :
      | adhérent | salarié    | né(e) le   | poste        | agent                         | du         | au         |
      | 00021    | Lisa LERGY | 17/05/1990 | Mécanicienne | Benzène                       | 01/02/2024 |            |
      | 00022    | Sam PICQ   | 17/05/1990 | Menuisier    | Poussières de bois inhalables | 01/03/2024 | 30/06/2024 |
    Et le journal des accès montre la lecture par Inès des expositions de « Garage des Ducs » et de « Menuiserie Picq »

  Scénario: Selon ce qui était connu avant une correction, la liste garde la ligne retirée depuis
    Soit le service retire l'exposition de Lisa LERGY, saisie par erreur, le lendemain
    Quand Inès télécharge la liste CMR de tout le service au 15/06/2024, selon ce qui était connu la veille
    Alors la liste reçue nomme Lisa LERGY et Sam PICQ
    Quand Inès télécharge la liste CMR de tout le service au 15/06/2024
    Alors la liste reçue nomme Sam PICQ

  Scénario: Inès trouve un adhérent par sa commune puis obtient sa liste anonyme
    Soit l'adresse de facturation de « Menuiserie Picq » est à Vitré
    Quand Inès recherche les adhérents « vitré »
    Alors elle trouve « 00022 Menuiserie Picq »
    Quand Inès télécharge la liste CMR anonyme de « Menuiserie Picq » au 15/06/2024
    Alors la liste anonyme reçue est :
      | situation de travail | agent                         | travailleurs exposés |
      | Menuisier            | Poussières de bois inhalables | 1                    |
    Et elle ne nomme personne
